namespace Actors.Sae;

/// <summary>
/// SAE latent activations of a batch of tokens in compressed-row form: row r's active latents are
/// Indices[RowStart[r]..RowStart[r+1]) with their Values. Top-k SAEs give exactly k entries per row (values after
/// ReLU, so some may be 0); ReLU and JumpReLU SAEs give a variable number of strictly positive entries.
/// </summary>
public sealed class SparseActivations
{
    public int Rows { get; }
    public int LatentCount { get; }
    public int[] RowStart { get; }
    public int[] Indices { get; }
    public float[] Values { get; }

    public SparseActivations(int rows, int latentCount, int[] rowStart, int[] indices, float[] values)
    {
        if (rowStart.Length != rows + 1) throw new ArgumentException($"RowStart has {rowStart.Length} entries, expected rows+1 = {rows + 1}");
        if (indices.Length != values.Length) throw new ArgumentException($"{indices.Length} indices but {values.Length} values");
        if (rowStart[rows] != indices.Length) throw new ArgumentException($"RowStart[rows] = {rowStart[rows]} but {indices.Length} entries");
        Rows = rows; LatentCount = latentCount; RowStart = rowStart; Indices = indices; Values = values;
    }

    /// <summary>Fixed k entries per row (top-k), laid out row after row.</summary>
    public static SparseActivations FixedStride(int rows, int latentCount, int k, int[] indices, float[] values)
    {
        var start = new int[rows + 1];
        for (int r = 0; r <= rows; r++) start[r] = r * k;
        return new SparseActivations(rows, latentCount, start, indices, values);
    }

    public ReadOnlySpan<int> RowIndices(int row) => Indices.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]);
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]);

    /// <summary>Number of strictly positive activations in a row (the L0 of that token).</summary>
    public int ActiveCount(int row)
    {
        int n = 0;
        foreach (var v in RowValues(row)) if (v > 0) n++;
        return n;
    }

    /// <summary>Dense (rows, latentCount) copy, for tests and small batches.</summary>
    public float[] ToDense()
    {
        var dense = new float[(long)Rows * LatentCount];
        for (int r = 0; r < Rows; r++)
        {
            var idx = RowIndices(r); var val = RowValues(r);
            for (int i = 0; i < idx.Length; i++) dense[(long)r * LatentCount + idx[i]] = val[i];
        }
        return dense;
    }
}
