using Actors.Tensors.Kernels;
using Actors.Vision.Clip;
using Xunit.Abstractions;

namespace Actors.Vision.Tests.Clip;

/// <summary>Shared builders for CLIP tests: small configs, seeded pixels and token rows, and one AssertClose.</summary>
internal static class ClipTestData
{
    public static ClipConfig Tiny => RandomClipModel.Preset("tiny");

    /// <summary>Awkward sizes: width 24 with 3 heads (d = 8), 12 px images of 4 px patches, exact-erf GELU.</summary>
    public static ClipConfig OddGelu => new(
        new ClipTextConfig(24, 40, 2, 3, TinyClipVocabulary.Size, 13, ActivationKind.Gelu, 1e-5f,
            TinyClipVocabulary.EndOfTextId, 0, TinyClipVocabulary.StartOfTextId),
        new ClipVisionConfig(24, 56, 3, 3, 12, 4, ActivationKind.Gelu, 1e-6f),
        10, 2.3f);

    public static float[] Pixels(ClipConfig config, int batch, int seed)
    {
        var rng = new Random(seed);
        var v = new float[batch * config.Vision.Channels * config.Vision.ImageSize * config.Vision.ImageSize];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 4 - 2);
        return v;
    }

    /// <summary>Rows of [sot, random word ids..., eot, pad...] with the given content lengths.</summary>
    public static int[] TokenRows(ClipConfig config, int[] lengths, int seed)
    {
        var rng = new Random(seed);
        int n = config.Text.ContextLength;
        var ids = new int[lengths.Length * n];
        for (int b = 0; b < lengths.Length; b++)
        {
            ids[b * n] = TinyClipVocabulary.StartOfTextId;
            for (int i = 1; i <= lengths[b]; i++) ids[b * n + i] = rng.Next(0, TinyClipVocabulary.StartOfTextId);
            ids[b * n + lengths[b] + 1] = TinyClipVocabulary.EndOfTextId;
            for (int i = lengths[b] + 2; i < n; i++) ids[b * n + i] = config.Text.PadTokenId;
        }
        return ids;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> actual, double[][] expected)
    {
        double max = 0;
        int k = 0;
        foreach (var row in expected)
            foreach (var e in row) max = Math.Max(max, Math.Abs(actual[k++] - e));
        Assert.Equal(actual.Length, k);
        return max;
    }

    public static void AssertClose(ITestOutputHelper output, string what, ReadOnlySpan<float> actual, double[][] expected, double tolerance)
    {
        double diff = MaxAbsDiff(actual, expected);
        double scale = expected.SelectMany(r => r).Select(Math.Abs).DefaultIfEmpty(0).Max();
        output.WriteLine($"{what}: max |diff| = {diff:E2} (max |value| {scale:F3}, tolerance {tolerance:E1})");
        Assert.True(diff <= tolerance, $"{what}: max |diff| {diff:E3} > {tolerance:E1}");
    }
}
