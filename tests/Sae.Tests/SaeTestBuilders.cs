using Actors.Sae.Architectures;

namespace Actors.Sae.Tests;

/// <summary>Shared builders (random SAEs of each architecture, random inputs) and one AssertClose.</summary>
internal static class SaeTestBuilders
{
    public static IEnumerable<object[]> Architectures() =>
        [[SaeArchitecture.TopK], [SaeArchitecture.Standard], [SaeArchitecture.JumpRelu]];

    public static SaeConfig Config(SaeArchitecture arch, int dIn, int dSae, int k = 4, bool preCenter = true, float scale = 1f) => arch switch
    {
        SaeArchitecture.TopK => new TopKSaeConfig(dIn, dSae, k) { ApplyBDecToInput = preCenter, ActivationScale = scale,
            NormalizeActivations = scale == 1f ? ActivationNormalization.None : ActivationNormalization.ExpectedAverageOnlyIn },
        SaeArchitecture.Standard => new StandardSaeConfig(dIn, dSae) { ApplyBDecToInput = preCenter, ActivationScale = scale,
            NormalizeActivations = scale == 1f ? ActivationNormalization.None : ActivationNormalization.ExpectedAverageOnlyIn },
        _ => new JumpReluSaeConfig(dIn, dSae) { ApplyBDecToInput = preCenter, ActivationScale = scale,
            NormalizeActivations = scale == 1f ? ActivationNormalization.None : ActivationNormalization.ExpectedAverageOnlyIn },
    };

    /// <summary>A random SAE whose biases and (for JumpReLU) thresholds are non-trivial.</summary>
    public static SparseAutoencoder RandomSae(SaeConfig config, int seed)
    {
        var rng = new Random(seed);
        var sae = SparseAutoencoder.CreateRandom(config, seed);
        for (int i = 0; i < sae.EncoderWeights.Length; i++) sae.EncoderWeights[i] += 0.3f * (float)(rng.NextDouble() - 0.5);
        for (int i = 0; i < sae.EncoderBias.Length; i++) sae.EncoderBias[i] = 0.2f * (float)(rng.NextDouble() - 0.5);
        for (int i = 0; i < sae.DecoderBias.Length; i++) sae.DecoderBias[i] = 0.5f * (float)(rng.NextDouble() - 0.5);
        if (sae is JumpReluSae j) for (int i = 0; i < j.Threshold.Length; i++) j.Threshold[i] = 0.3f * (float)rng.NextDouble();
        return sae;
    }

    public static float[] RandomRows(int rows, int dim, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var x = new float[rows * dim];
        for (int i = 0; i < x.Length; i++) x[i] = scale * (float)SparseAutoencoder.Gaussian(rng);
        return x;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relTol, double absTol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0; int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(expected[i] - actual[i]);
            double excess = diff - (absTol + relTol * Math.Abs(expected[i]));
            if (excess > worst) { worst = excess; worstAt = i; }
        }
        Assert.True(worstAt < 0, worstAt < 0 ? "" :
            $"{what}: at {worstAt} expected {expected[worstAt]} got {actual[worstAt]} (|diff| {Math.Abs(expected[worstAt] - actual[worstAt]):G4})");
    }
}
