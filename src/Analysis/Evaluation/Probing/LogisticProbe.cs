namespace Actors.Analysis.Evaluation.Probing;

/// <summary>
/// A linear probe on image embeddings (seed 000 Sec. 5.3 "linear classifiers trained on visual embeddings", App. E
/// logistic regression): P(class | x) = σ(w·x + b). Iterations and GradientNorm (max-norm of the objective's
/// gradient at the solution) say how training ended.
/// </summary>
public sealed record LogisticProbe(double[] Weights, double Bias, int Iterations, double GradientNorm)
{
    public double Logit(ReadOnlySpan<float> x)
    {
        if (x.Length != Weights.Length) throw new ArgumentException($"embedding of {x.Length} dimensions, probe of {Weights.Length}");
        double z = Bias;
        for (int i = 0; i < x.Length; i++) z += Weights[i] * x[i];
        return z;
    }

    /// <summary>Logits of many embeddings: the probe's scores for AUROC (monotone in the probability).</summary>
    public double[] Scores(IReadOnlyList<float[]> embeddings)
    {
        var z = new double[embeddings.Count];
        for (int s = 0; s < z.Length; s++) z[s] = Logit(embeddings[s]);
        return z;
    }
}
