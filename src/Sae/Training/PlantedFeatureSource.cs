using System.Numerics.Tensors;
using Actors.Sae.Architectures;

namespace Actors.Sae.Training;

/// <summary>
/// Synthetic activations from a known sparse dictionary: each row is Σ_f c_f·F_f over a few features f drawn with
/// Zipf-like frequencies p_f ∝ 1/(f+offset), with random magnitudes c_f, plus an optional offset vector.
/// Row r is generated from its own seed, so any row can be regenerated (Seek is exact).
/// </summary>
public sealed class PlantedFeatureSource : IActivationSource
{
    readonly int seed;
    readonly double[] cumulative;
    long position;

    public int DIn { get; }
    public float[] Features { get; }          // (featureCount, d_in), unit rows
    public double[] Frequencies { get; }      // probability a given draw picks feature f
    public int ActivePerRow { get; }
    public float[] Offset { get; }
    public long RowCount { get; }

    public PlantedFeatureSource(int dIn, int featureCount, int activePerRow, int seed, long rowCount = long.MaxValue, float offsetNorm = 0f)
    {
        DIn = dIn; ActivePerRow = activePerRow; this.seed = seed; RowCount = rowCount;
        var rng = new Random(seed);
        Features = new float[featureCount * dIn];
        for (int f = 0; f < featureCount; f++)
        {
            var row = Features.AsSpan(f * dIn, dIn);
            for (int i = 0; i < dIn; i++) row[i] = (float)SparseAutoencoder.Gaussian(rng);
            TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Norm(row), row);
        }
        Offset = new float[dIn];
        if (offsetNorm > 0)
        {
            for (int i = 0; i < dIn; i++) Offset[i] = (float)SparseAutoencoder.Gaussian(rng);
            TensorPrimitives.Multiply(Offset, offsetNorm / TensorPrimitives.Norm(Offset), Offset);
        }
        Frequencies = Enumerable.Range(0, featureCount).Select(f => 1.0 / (f + 8)).ToArray();
        double total = Frequencies.Sum();
        cumulative = new double[featureCount];
        double acc = 0;
        for (int f = 0; f < featureCount; f++) { Frequencies[f] /= total; acc += Frequencies[f]; cumulative[f] = acc; }
    }

    public int Read(Span<float> destination, int maxRows)
    {
        int n = (int)Math.Min(maxRows, RowCount - position);
        for (int r = 0; r < n; r++) Generate(position + r, destination.Slice(r * DIn, DIn));
        position += n;
        return n;
    }

    public void Seek(long row) => position = row;

    void Generate(long row, Span<float> x)
    {
        var rng = new Random(HashCode.Combine(seed, row));
        Offset.CopyTo(x);
        for (int a = 0; a < ActivePerRow; a++)
        {
            int f = Array.BinarySearch(cumulative, rng.NextDouble());
            if (f < 0) f = ~f;
            f = Math.Min(f, cumulative.Length - 1);
            float c = 0.5f + 1.5f * (float)rng.NextDouble();
            TensorPrimitives.MultiplyAdd(Features.AsSpan(f * DIn, DIn), c, x, x);
        }
    }
}
