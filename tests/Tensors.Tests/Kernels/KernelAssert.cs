namespace Actors.Tensors.Tests.Kernels;

/// <summary>Seeded data and the one closeness check every kernel test uses.</summary>
internal static class KernelAssert
{
    /// <summary>float32 kernel vs. double reference on O(1) data: a few ulps plus summation-order drift.</summary>
    public const float Float32Relative = 1e-5f;
    public const float Float32Absolute = 1e-6f;

    /// <summary>Analytic gradient vs. central finite differences taken in double (step 1e-3, O(h²) error).</summary>
    public const double FiniteDifferenceRelative = 2e-3;

    public static float[] Random(int seed, int length, float scale = 1f)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>Asserts |expected − actual| ≤ atol + rtol·|expected| everywhere, reporting the worst element.</summary>
    public static void Close(string tensor, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual,
        float rtol = Float32Relative, float atol = Float32Absolute)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, worstDiff = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)expected[i] - actual[i]);
            double excess = diff / (atol + rtol * Math.Abs(expected[i]));
            if (double.IsNaN(diff)) excess = double.PositiveInfinity;
            if (excess > worst) { worst = excess; worstDiff = diff; at = i; }
        }
        Assert.True(worst <= 1, $"{tensor}: max |diff| {worstDiff:E3} at [{at}] (expected {(at >= 0 ? expected[at] : 0)}, " +
            $"found {(at >= 0 ? actual[at] : 0)}), {worst:F2}× the tolerance atol {atol:E1} + rtol {rtol:E1}·|x|");
    }
}
