namespace Actors.Analysis.Alignment;

/// <summary>
/// Clarity of a latent's reference images, seed 000's interpretability measure (Sec. 5.2, App. C.1: CLIP embeddings of
/// the 20 most activating samples). The paper only cites it ([12], SemanticLens); the definition used here is the one
/// in its released code: the mean cosine similarity over distinct pairs of reference-image embeddings,
/// c = 1/(n(n−1)) Σ_{i≠k} ê_i·ê_k = (n‖mean_i ê_i‖² − 1)/(n − 1), ê = e/‖e‖. 1 when all point the same way, about 0
/// for unrelated images, down to −1/(n−1).
/// </summary>
public static class Clarity
{
    /// <summary>Clarity of n = <paramref name="count"/> embeddings (n, dim), n ≥ 2, through the mean of the unit vectors: O(n·dim).</summary>
    public static double Of(ReadOnlySpan<float> embeddings, int count, int dim)
    {
        Check(embeddings, count, dim);
        var mean = new double[dim];
        for (int n = 0; n < count; n++)
        {
            var e = embeddings.Slice(n * dim, dim);
            double norm = Norm(e);
            for (int i = 0; i < dim; i++) mean[i] += e[i] / norm / count;
        }
        double squared = mean.Sum(v => v * v);
        return (count * squared - 1) / (count - 1);
    }

    /// <summary>Reference for <see cref="Of"/>: every distinct pair's cosine, averaged. O(n²·dim).</summary>
    public static double Naive(ReadOnlySpan<float> embeddings, int count, int dim)
    {
        Check(embeddings, count, dim);
        double sum = 0;
        for (int a = 0; a < count; a++)
            for (int b = 0; b < count; b++)
            {
                if (a == b) continue;
                var ea = embeddings.Slice(a * dim, dim); var eb = embeddings.Slice(b * dim, dim);
                double dot = 0;
                for (int i = 0; i < dim; i++) dot += (double)ea[i] * eb[i];
                sum += dot / (Norm(ea) * Norm(eb));
            }
        return sum / (count * (count - 1.0));
    }

    static double Norm(ReadOnlySpan<float> e)
    {
        double s = 0;
        foreach (var v in e) s += (double)v * v;
        if (s == 0) throw new ArgumentException("a reference embedding is zero: its direction is undefined");
        return Math.Sqrt(s);
    }

    static void Check(ReadOnlySpan<float> embeddings, int count, int dim)
    {
        if (count < 2 || dim <= 0 || embeddings.Length != (long)count * dim)
            throw new ArgumentException($"clarity needs at least two embeddings: {embeddings.Length} floats for count {count} × dim {dim}");
    }
}
