using Actors.Tensors;

namespace Actors.Analysis.Tests.Evaluation;

/// <summary>Seeded data for the analysis tests (SplitMix64, so the draws are the same on every runtime).</summary>
internal static class EvaluationTestData
{
    public static double Gaussian(SplitMix64 rng)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public static double[] Gaussians(int n, ulong seed, double mean = 0, double sd = 1)
    {
        var rng = new SplitMix64(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = mean + sd * Gaussian(rng);
        return x;
    }

    /// <summary>Sparse relevance-like vectors: each latent non-zero with probability density, values rounded to
    /// <paramref name="quantum"/> so that ties occur.</summary>
    public static float[][] SparseVectors(int n, int latents, double density, ulong seed, double quantum = 0.25)
    {
        var rng = new SplitMix64(seed);
        var rows = new float[n][];
        for (int s = 0; s < n; s++)
        {
            rows[s] = new float[latents];
            for (int j = 0; j < latents; j++)
                if (rng.NextDouble() < density) rows[s][j] = (float)(Math.Round(2 * Gaussian(rng) / quantum) * quantum);
        }
        return rows;
    }

    public static void AssertClose(double expected, double actual, double relTol, double absTol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= absTol + relTol * Math.Abs(expected),
            $"{what}: expected {expected:R} got {actual:R} (|diff| {Math.Abs(expected - actual):G4})");

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relTol, double absTol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0; int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs(expected[i] - actual[i]) - (absTol + relTol * Math.Abs(expected[i]));
            if (excess > worst) { worst = excess; worstAt = i; }
        }
        Assert.True(worstAt < 0, worstAt < 0 ? "" :
            $"{what}: at {worstAt} expected {expected[worstAt]:R} got {actual[worstAt]:R} (|diff| {Math.Abs(expected[worstAt] - actual[worstAt]):G4})");
    }
}
