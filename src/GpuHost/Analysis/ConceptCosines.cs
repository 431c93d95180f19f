using Actors.Analysis.Alignment;
using Actors.Tensors.Kernels;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// cos(x, t) of many rows x against every concept t of a <see cref="ConceptSet"/> at once — the cosines seed 000 Eq. 2
/// (s_j(t), from x̄_j) and Eq. 3 (Logit Lens, from v_j') are made of: rows and concepts scaled to unit length (a zero
/// vector stays zero, cosine 0), then one product (n, dim)·(concepts, dim)ᵀ. <see cref="SemanticAlignment.Scores"/> and
/// <see cref="LogitLens.Scores"/> are the per-pair references in double; this is float, within ~1e-6 of them, and fast
/// enough for tens of thousands of latents against tens of thousands of concepts.
/// </summary>
public sealed class ConceptCosines
{
    readonly float[] unitConcepts;

    public ConceptCosines(ConceptSet concepts)
    {
        Concepts = concepts;
        unitConcepts = Unit(concepts.Embeddings, concepts.Dim);
    }

    public ConceptSet Concepts { get; }

    /// <summary>(n, Concepts.Count): row i holds cos(rows[i], t) for every concept t. <paramref name="rows"/> is (n, Dim).</summary>
    public float[] Of(ReadOnlySpan<float> rows, int n)
    {
        int dim = Concepts.Dim, count = Concepts.Count;
        if (rows.Length != (long)n * dim) throw new ArgumentException($"{rows.Length} floats are not {n} rows of the concepts' dimension {dim}");
        var result = new float[n * count];
        Blas.Sgemm(false, true, n, count, dim, 1f, Unit(rows, dim), dim, unitConcepts, dim, 0f, result, count);
        return result;
    }

    /// <summary>Indices of the <paramref name="k"/> highest scores, best first, ties to the lower index (as <see cref="ConceptSet.Top"/>).</summary>
    public static int[] Top(ReadOnlySpan<float> scores, int k)
    {
        k = Math.Min(k, scores.Length);
        var best = new int[k];
        int kept = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (kept == k && scores[i] <= scores[best[k - 1]]) continue;
            int at = kept < k ? kept++ : k - 1;
            while (at > 0 && scores[i] > scores[best[at - 1]]) { best[at] = best[at - 1]; at--; }
            best[at] = i;
        }
        return best;
    }

    static float[] Unit(ReadOnlySpan<float> rows, int dim)
    {
        var unit = rows.ToArray();
        for (int r = 0; r < unit.Length; r += dim)
        {
            double squared = 0;
            for (int i = r; i < r + dim; i++) squared += (double)unit[i] * unit[i];
            float inverse = squared > 0 ? (float)(1 / Math.Sqrt(squared)) : 0f;
            for (int i = r; i < r + dim; i++) unit[i] *= inverse;
        }
        return unit;
    }
}
