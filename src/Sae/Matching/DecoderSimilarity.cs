using System.Numerics.Tensors;
using Actors.Sae.Architectures;
using Actors.Tensors.Kernels;

namespace Actors.Sae.Matching;

/// <summary>
/// Cosine similarity of decoder directions v_i (rows of W_dec; seed 000 Eq. 1) between two SAEs on the same d_in —
/// the identity signal for a latent across trainings (Paulo &amp; Belrose 2025, "Sparse autoencoders trained on the
/// same data learn different features", match latents of two SAEs by decoder cosine under a one-to-one assignment).
/// Rows are normalised first, so an SAE whose decoder is not unit-norm compares the same way.
/// </summary>
public static class DecoderSimilarity
{
    /// <summary>(rows (d_sae), d_in) unit rows; a zero row stays zero (cosine 0 with everything).</summary>
    public static float[] UnitRows(SparseAutoencoder sae)
    {
        int d = sae.DIn;
        var rows = (float[])sae.DecoderWeights.Clone();
        for (int j = 0; j < sae.DSae; j++)
        {
            var r = rows.AsSpan(j * d, d);
            float n = TensorPrimitives.Norm(r);
            if (n > 0) TensorPrimitives.Multiply(r, 1f / n, r);
        }
        return rows;
    }

    /// <summary>All cosines, (newer.DSae, older.DSae) row-major: entry (i, j) = cos(v_i of newer, v_j of older).</summary>
    public static float[] Dense(SparseAutoencoder newer, SparseAutoencoder older)
    {
        Check(newer, older);
        var a = UnitRows(newer); var b = UnitRows(older);
        var c = new float[(long)newer.DSae * older.DSae];
        Blas.Sgemm(false, true, newer.DSae, older.DSae, newer.DIn, 1f, a, newer.DIn, b, older.DIn, 0f, c, older.DSae);
        return c;
    }

    /// <summary>
    /// For each latent of <paramref name="newer"/>, its <paramref name="count"/> most similar latents of
    /// <paramref name="older"/> (descending; ties: lower index), computed in blocks of rows so memory stays
    /// O(block · older.DSae) at any width.
    /// </summary>
    public static (int[] Indices, float[] Cosines) TopCandidates(SparseAutoencoder newer, SparseAutoencoder older, int count, int blockRows = 512)
    {
        Check(newer, older);
        int n = newer.DSae, m = older.DSae, d = newer.DIn;
        count = Math.Min(count, m);
        var a = UnitRows(newer); var b = UnitRows(older);
        var indices = new int[(long)n * count]; var cosines = new float[(long)n * count];
        var zero = new float[m];
        var block = new float[(long)Math.Min(blockRows, n) * m];
        for (int start = 0; start < n; start += blockRows)
        {
            int rows = Math.Min(blockRows, n - start);
            Blas.Sgemm(false, true, rows, m, d, 1f, a.AsSpan(start * d, rows * d), d, b, d, 0f, block, m);
            Parallel.For(0, rows, r => TopKSelection.SelectRow(block.AsSpan(r * m, m), zero, count,
                indices.AsSpan((start + r) * count, count), cosines.AsSpan((start + r) * count, count)));
        }
        return (indices, cosines);
    }

    static void Check(SparseAutoencoder newer, SparseAutoencoder older)
    {
        if (newer.DIn != older.DIn)
            throw new ArgumentException($"decoder directions live in different spaces: d_in {newer.DIn} and {older.DIn}");
    }
}
