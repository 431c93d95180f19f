using Actors.GpuHost.Ingestion;
using Actors.Sae;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>Ingestion keeps only a batch's positive activations, row by row, in order (a top-k SAE's k can include zeros).</summary>
public class PositiveActivationsTests
{
    static (int[] Start, List<int> Indices, List<float> Values) Naive(SparseActivations a)
    {
        var start = new int[a.Rows + 1]; var indices = new List<int>(); var values = new List<float>();
        for (int r = 0; r < a.Rows; r++)
        {
            for (int i = a.RowStart[r]; i < a.RowStart[r + 1]; i++)
                if (a.Values[i] > 0) { indices.Add(a.Indices[i]); values.Add(a.Values[i]); }
            start[r + 1] = indices.Count;
        }
        return (start, indices, values);
    }

    [Theory]
    [InlineData(0.0)]    // all positive
    [InlineData(0.3)]
    [InlineData(1.0)]    // none positive
    public void KeepsThePositiveEntriesOfEveryRowInOrder(double shareNotPositive)
    {
        var rng = new Random(5);
        const int rows = 40, k = 6, latents = 100;
        var indices = new int[rows * k]; var values = new float[rows * k];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = rng.Next(latents);
            values[i] = rng.NextDouble() < shareNotPositive ? (rng.Next(2) == 0 ? 0f : -1f) : 0.1f + (float)rng.NextDouble();
        }
        var a = SparseActivations.FixedStride(rows, latents, k, indices, values);
        var (start, keptIndices, keptValues) = Naive(a);
        var kept = IngestionJob.Positive(a);
        Assert.Equal((rows, latents), (kept.Rows, kept.LatentCount));
        Assert.Equal(start, kept.RowStart);
        Assert.Equal(keptIndices, kept.Indices);
        Assert.Equal(keptValues, kept.Values);
    }
}
