using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Tests.Clip;
using Xunit.Abstractions;

namespace Actors.Analysis.Tests;

/// <summary>A tiny random CLIP (17 vision tokens, width 32, three blocks, projection 16), an image, a prompt and an
/// SAE for it, plus the double-precision reference score that finite differences differentiate.</summary>
internal sealed record TinySetup(ClipWeights Weights, ClipModel Model, float[] Pixels, float[] Text)
{
    public ClipVisionModel Vision => Model.Vision;
    public ClipReference Reference { get; } = ClipReference.From(Weights);
}

internal static class AnalysisTestBuilders
{
    /// <summary>Tiny CLIP with three vision blocks (a middle one to hook); optionally LN_post's β = 0 and LayerNorm ε = 0,
    /// the conditions under which seed 000 Eq. 31 is exact.</summary>
    public static TinySetup Tiny(int seed, bool zeroPostBeta = false, float? eps = null)
    {
        var preset = RandomClipModel.Preset("tiny");
        var config = preset with { Vision = preset.Vision with { Layers = 3, LayerNormEps = eps ?? preset.Vision.LayerNormEps } };
        var weights = RandomClipModel.Generate(config, seed);
        if (zeroPostBeta) weights = weights with { Vision = weights.Vision with { PostLnBeta = new float[config.Vision.HiddenSize] } };
        var model = new ClipModel(new CpuBackend(), weights);
        var rng = new Random(seed + 1);
        var pixels = Enumerable.Range(0, model.Vision.PixelsPerImage).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        // A prompt embedding leaning towards the image's, so y is well away from 0.
        var image = model.Vision.Encode(pixels, 1);
        var text = image.Select(v => v + (float)Gaussian(rng) * 0.8f * Rms(image)).ToArray();
        return new TinySetup(weights, model, pixels, text);
    }

    public static SaeHookSpec Residual(int layer, TokenSelection tokens) => new(layer, tokens, $"blocks.{layer}.hook_resid_post");

    /// <summary>A random top-k SAE for rows of <paramref name="dIn"/> whose encoder sees the input (so top-k picks vary),
    /// with non-zero b_dec, unit decoder rows and optional activation scale.</summary>
    public static SparseAutoencoder Sae(int dIn, int dSae, int k, int seed, float scale = 1f)
    {
        var config = new TopKSaeConfig(dIn, dSae, k)
        {
            ActivationScale = scale,
            NormalizeActivations = scale == 1f ? ActivationNormalization.None : ActivationNormalization.ExpectedAverageOnlyIn,
        };
        var sae = SparseAutoencoder.CreateRandom(config, seed);
        var rng = new Random(seed);
        for (int i = 0; i < sae.EncoderBias.Length; i++) sae.EncoderBias[i] = 0.5f + 0.1f * (float)Gaussian(rng);
        for (int i = 0; i < sae.DecoderBias.Length; i++) sae.DecoderBias[i] = 0.3f * (float)Gaussian(rng);
        return sae;
    }

    /// <summary>y from the double-precision reference: the residual after the hook's block is replaced by
    /// <paramref name="stream"/> (T, W) and then the hooked rows by <paramref name="rows"/>; image-embedding hook: cos(rows, t).</summary>
    public static double ReferenceScore(TinySetup s, SaeHookSpec hook, float[]? stream, double[] rows, float[] text)
    {
        double[] embedding;
        if (hook.Site == HookSite.ImageEmbedding) embedding = rows;
        else
        {
            int w = s.Vision.Config.HiddenSize, t = s.Vision.Config.Tokens;
            int first = hook.Tokens == TokenSelection.Patches ? 1 : 0, count = hook.RowsPerSequence(t);
            embedding = s.Reference.ImageEmbeds(s.Pixels, 1, (layer, _, x) =>
            {
                if (layer != hook.Layer) return;
                for (int tok = 0; tok < t; tok++)
                    for (int i = 0; i < w; i++) x[tok][i] = stream![tok * w + i];
                for (int r = 0; r < count; r++)
                    for (int i = 0; i < w; i++) x[first + r][i] = rows[r * w + i];
            })[0];
        }
        return Cosine(embedding, text.Select(v => (double)v).ToArray());
    }

    /// <summary>Central differences (f(h + δe_i) − f(h − δe_i)) / 2δ for every coordinate of h, in double.</summary>
    public static double[] CentralDifferences(Func<double[], double> f, ReadOnlySpan<float> h, double delta = 1e-4)
    {
        var point = h.ToArray().Select(v => (double)v).ToArray();
        var result = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double keep = point[i];
            point[i] = keep + delta; double up = f(point);
            point[i] = keep - delta; double down = f(point);
            point[i] = keep;
            result[i] = (up - down) / (2 * delta);
        }
        return result;
    }

    public static double Cosine(double[] a, double[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>Asserts max|expected − actual| ≤ relTol·max|expected| + absTol, prints the maximum difference, returns it.</summary>
    public static double AssertClose(ITestOutputHelper output, string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual,
        double relTol, double absTol = 0)
    {
        Assert.Equal(expected.Count, actual.Count);
        double maxDiff = 0, scale = 0; int at = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (d > maxDiff) { maxDiff = d; at = i; }
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        output.WriteLine($"{what}: max |diff| {maxDiff:G3} (relative to max |expected| {scale:G3}: {maxDiff / Math.Max(scale, 1e-300):G3}) over {expected.Count} values");
        Assert.True(maxDiff <= relTol * scale + absTol,
            $"{what}: at {at} expected {expected[at]:G6} got {actual[at]:G6}; max |diff| {maxDiff:G3} > {relTol}·{scale:G3} + {absTol}");
        return maxDiff;
    }

    public static double[] ToDouble(this ReadOnlySpan<float> x) => x.ToArray().Select(v => (double)v).ToArray();
    public static double[] ToDouble(this float[] x) => x.Select(v => (double)v).ToArray();

    static float Rms(float[] x) => (float)Math.Sqrt(x.Average(v => (double)v * v));

    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>One image and prompt prepared for attribution at a hook of a <see cref="TinySetup"/>.</summary>
internal sealed record Prepared(TinySetup Setup, SaeHookSpec Hook, Actors.Analysis.LatentAttributor Attributor, Actors.Analysis.Relevance.AttributionInput Input)
{
    public static Prepared At(TinySetup s, SaeHookSpec hook, int seed, float scale = 1f)
    {
        int width = hook.RowWidth(s.Vision);
        var sae = AnalysisTestBuilders.Sae(width, 48, 6, seed, scale);
        var attributor = new Actors.Analysis.LatentAttributor(s.Vision, s.Weights.Vision, sae, hook);
        return new Prepared(s, hook, attributor, attributor.Prepare(s.Pixels, s.Text));
    }

    /// <summary>y from the double reference with the hooked rows h + δ·direction (direction (RowCount, Width)).</summary>
    public double ScoreAlong(double[] direction, double delta)
    {
        var image = Input.Decomposition.Image;
        var rows = image.Rows.Select((v, i) => v + delta * direction[i]).ToArray();
        return AnalysisTestBuilders.ReferenceScore(Setup, Hook, image.Residual, rows, Setup.Text);
    }

    /// <summary>d/dδ y(h + δ·direction) at δ = 0 by central differences of the double reference.</summary>
    public double DirectionalDerivative(double[] direction, double delta = 1e-4) =>
        (ScoreAlong(direction, delta) - ScoreAlong(direction, -delta)) / (2 * delta);
}
