using System.Numerics.Tensors;
using Actors.Sae.Architectures;
using Actors.Tensors.Kernels;

namespace Actors.Analysis.Steering;

/// <summary>
/// The SAE features that carry an attribute (seed 001 Sec. 7): selected by their mean activation on images with the
/// attribute against images without it (Eq. 9), optionally expanded by decoder-direction cosine (Sec. 7.2).
/// </summary>
public static class SpuriousFeatures
{
    /// <summary>
    /// Eq. 9: F = { j | E_{x∼D_A}[f_j(x)] &gt; E_{x∼D_Ā}[f_j(x)] + τ }, ascending. The means are over images of the
    /// image-level activation f_j(x) (<see cref="SteeredForward.AddImageActivations"/>).
    /// </summary>
    public static int[] Select(ReadOnlySpan<double> meanWithAttribute, ReadOnlySpan<double> meanWithout, double tau)
    {
        if (meanWithAttribute.Length != meanWithout.Length)
            throw new ArgumentException($"{meanWithAttribute.Length} and {meanWithout.Length} mean activations: one per latent each");
        var selected = new List<int>();
        for (int j = 0; j < meanWithAttribute.Length; j++)
            if (meanWithAttribute[j] > meanWithout[j] + tau) selected.Add(j);
        return [.. selected];
    }

    /// <summary>
    /// Sec. 7.2's extension for recall: F* = F ∪ { j | cos(n_j, n_m) &gt; λ for some m ∈ F }, n_j the decoder direction
    /// (row j of W_dec). One pass, as the paper describes it: latents added by the expansion do not add more.
    /// Ascending. A zero decoder row has cosine 0 with everything.
    /// </summary>
    public static int[] ExpandByDecoderCosine(SparseAutoencoder sae, IReadOnlyList<int> selected, double lambda)
    {
        int d = sae.DIn, n = sae.DSae, f = selected.Count;
        if (f == 0) return [];
        foreach (int j in selected)
            if ((uint)j >= (uint)n) throw new ArgumentOutOfRangeException(nameof(selected), $"latent {j} is outside 0..{n - 1}");
        var chosen = new float[(long)f * d];
        for (int i = 0; i < f; i++) UnitRow(sae.DecoderWeights.AsSpan(selected[i] * d, d), chosen.AsSpan(i * d, d));
        var result = new SortedSet<int>(selected);
        const int chunk = 1024;
        var rows = new float[(long)Math.Min(chunk, n) * d];
        var cos = new float[(long)Math.Min(chunk, n) * f];
        for (int start = 0; start < n; start += chunk)
        {
            int m = Math.Min(chunk, n - start);
            for (int r = 0; r < m; r++) UnitRow(sae.DecoderWeights.AsSpan((start + r) * d, d), rows.AsSpan(r * d, d));
            Blas.Sgemm(false, true, m, f, d, 1f, rows.AsSpan(0, m * d), d, chosen, d, 0f, cos.AsSpan(0, m * f), f);
            for (int r = 0; r < m; r++)
                if (TensorPrimitives.Max(cos.AsSpan(r * f, f)) > lambda) result.Add(start + r);
        }
        return [.. result];
    }

    static void UnitRow(ReadOnlySpan<float> row, Span<float> destination)
    {
        float norm = TensorPrimitives.Norm(row);
        if (norm > 0) TensorPrimitives.Divide(row, norm, destination);
        else destination.Clear();
    }
}
