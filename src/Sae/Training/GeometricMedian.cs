using System.Numerics.Tensors;

namespace Actors.Sae.Training;

/// <summary>Geometric median of rows by Weiszfeld's iteration y ← Σ w_i x_i / Σ w_i, w_i = 1/‖x_i − y‖, started at
/// the mean — the b_dec initialisation of Bricken et al. (2023) and PatchSAE (seed 002 App. A.1).</summary>
public static class GeometricMedian
{
    public static float[] Compute(ReadOnlySpan<float> rows, int count, int dim, int maxIterations = 100, double tolerance = 1e-7)
    {
        var y = Mean(rows, count, dim).Select(v => (double)v).ToArray();
        var next = new double[dim];
        for (int it = 0; it < maxIterations; it++)
        {
            Array.Clear(next);
            double weightSum = 0;
            for (int r = 0; r < count; r++)
            {
                var x = rows.Slice(r * dim, dim);
                double dist = 0;
                for (int i = 0; i < dim; i++) { double d = x[i] - y[i]; dist += d * d; }
                double w = 1.0 / Math.Max(Math.Sqrt(dist), 1e-12);
                weightSum += w;
                for (int i = 0; i < dim; i++) next[i] += w * x[i];
            }
            double move = 0;
            for (int i = 0; i < dim; i++) { next[i] /= weightSum; move += (next[i] - y[i]) * (next[i] - y[i]); }
            (y, next) = (next, y);
            if (Math.Sqrt(move) < tolerance) break;
        }
        return y.Select(v => (float)v).ToArray();
    }

    public static float[] Mean(ReadOnlySpan<float> rows, int count, int dim)
    {
        var sum = new double[dim];
        for (int r = 0; r < count; r++) for (int i = 0; i < dim; i++) sum[i] += rows[r * dim + i];
        return sum.Select(v => (float)(v / count)).ToArray();
    }
}
