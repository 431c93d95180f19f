using Actors.Analysis.Relevance;
using Actors.Sae;
using Xunit.Abstractions;
using static Actors.Analysis.Tests.AnalysisTestBuilders;

namespace Actors.Analysis.Tests.Relevance;

/// <summary>Act×Grad (seed 000 Eq. 5/29) and its closed form (Eq. 31), with the bias and error components of App. B.1.</summary>
public class ActTimesGradientTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Hooks() =>
        [[-1, TokenSelection.Cls], [2, TokenSelection.Cls], [1, TokenSelection.Cls], [1, TokenSelection.All]];

    static SaeHookSpec HookOf(int layer, TokenSelection tokens) => layer < 0 ? SaeHookSpec.ImageEmbeds : Residual(layer, tokens);

    [Theory]
    [MemberData(nameof(Hooks))]
    public void EachLatentsRelevanceIsItsActivationTimesTheFiniteDifferenceDerivativeOfY(int layer, TokenSelection tokens)
    {
        var p = Prepared.At(Tiny(seed: 50 + layer), HookOf(layer, tokens), seed: 7);
        var d = p.Input.Decomposition;
        var result = new ActTimesGradient().Attribute(p.Input);
        var a = d.Activations;
        var expected = new List<double>(); var actual = new List<double>();
        for (int e = 0; e < a.Values.Length; e++)
        {
            if (a.Values[e] == 0) continue;
            // ∂y/∂a_j for the row the entry is in: move that row along v_j (Eq. 11).
            var direction = new double[d.RowCount * d.Width];
            int row = d.RowOf(e);
            var v = d.FeatureVector(a.Indices[e]);
            for (int i = 0; i < d.Width; i++) direction[row * d.Width + i] = v[i];
            expected.Add(a.Values[e] * p.DirectionalDerivative(direction));
            actual.Add(result.EntryRelevance[e]);
        }
        Assert.NotEmpty(expected);
        AssertClose(output, $"R_j at {p.Hook.HookName} ({tokens}) vs a_j·∂y/∂a_j by finite differences", expected, actual, 1e-4);
        // The bias and error terms: every row moved along b, or along its own ε (a = 1).
        var bias = Enumerable.Range(0, d.RowCount * d.Width).Select(i => (double)d.Bias[i % d.Width]).ToArray();
        var error = d.Error.ToDouble();
        AssertClose(output, "bias and error terms vs finite differences", [p.DirectionalDerivative(bias), p.DirectionalDerivative(error)],
            [result.Bias!.Value, result.Error!.Value], 1e-4, 1e-7);
    }

    [Theory]
    [MemberData(nameof(Hooks))]
    public void LatentsBiasAndErrorTogetherAreHDotTheGradient(int layer, TokenSelection tokens)
    {
        var p = Prepared.At(Tiny(seed: 60 + layer), HookOf(layer, tokens), seed: 8);
        var result = new ActTimesGradient().Attribute(p.Input);
        var h = p.Input.Decomposition.Image.Rows; var g = p.Input.AtImage.Gradient;
        double hDotGradient = 0;
        for (int i = 0; i < h.Length; i++) hDotGradient += (double)h[i] * g[i];
        double magnitude = result.Latents.Sum(l => Math.Abs(l.Relevance)) + Math.Abs(result.Bias!.Value) + Math.Abs(result.Error!.Value);
        output.WriteLine($"{p.Hook.HookName}: Σ components {result.Total:G6}, h·∇y {hDotGradient:G6}, Σ|components| {magnitude:G4}");
        Assert.True(Math.Abs(result.Total - hDotGradient) <= 1e-5 * magnitude, $"Σ components {result.Total} vs h·∇y {hDotGradient}");
    }

    [Fact]
    public void AtTheImageEmbeddingTheComponentsCancelBecauseYIgnoresTheScaleOfX()
    {
        var p = Prepared.At(Tiny(seed: 70), SaeHookSpec.ImageEmbeds, seed: 9);
        var result = new ActTimesGradient().Attribute(p.Input);
        double magnitude = result.Latents.Sum(l => Math.Abs(l.Relevance)) + Math.Abs(result.Bias!.Value) + Math.Abs(result.Error!.Value);
        output.WriteLine($"Σ components {result.Total:G3} against Σ|components| {magnitude:G3}");
        Assert.True(magnitude > 1e-3);
        Assert.True(Math.Abs(result.Total) <= 1e-5 * magnitude, $"Σ components {result.Total} should vanish (Euler, y(cx) = y(x))");
    }

    [Fact]
    public void AtTheLastClassTokenTheComponentsCancelTooButNotAfterAnEarlierBlock()
    {
        double Relative(int layer)
        {
            var result = new ActTimesGradient().Attribute(Prepared.At(Tiny(seed: 71), Residual(layer, TokenSelection.Cls), seed: 10).Input);
            double magnitude = result.Latents.Sum(l => Math.Abs(l.Relevance)) + Math.Abs(result.Bias!.Value) + Math.Abs(result.Error!.Value);
            return Math.Abs(result.Total) / magnitude;
        }
        double last = Relative(2), middle = Relative(1);
        output.WriteLine($"|Σ components| / Σ|components|: after the last block (LN_post ignores scale, β or not) {last:G3}; after block 1 {middle:G3}");
        Assert.True(last <= 1e-5);
        Assert.True(middle > 1e-3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Equation31EqualsActTimesGradientWhereItsAssumptionsHold(bool imageEmbedding)
    {
        var s = imageEmbedding ? Tiny(seed: 80) : Tiny(seed: 80, zeroPostBeta: true, eps: 0f);
        var p = Prepared.At(s, imageEmbedding ? SaeHookSpec.ImageEmbeds : Residual(2, TokenSelection.Cls), seed: 11, scale: 1.7f);
        var exact = new ActTimesGradient().Attribute(p.Input);
        var closed = new ActTimesGradientClosedForm(s.Weights.Vision).Attribute(p.Input);
        Assert.Equal(exact.Score, closed.Score, 5);
        AssertClose(output, $"Eq. 31 vs backprop at {p.Hook.HookName}",
            [.. exact.EntryRelevance, exact.Bias!.Value, exact.Error!.Value], [.. closed.EntryRelevance, closed.Bias!.Value, closed.Error!.Value], 1e-4);
    }

    [Fact]
    public void Equation31IsAnApproximationWhenLnPostHasABias()
    {
        var s = Tiny(seed: 81);
        var p = Prepared.At(s, Residual(2, TokenSelection.Cls), seed: 12);
        var exact = new ActTimesGradient().Attribute(p.Input).EntryRelevance;
        var closed = new ActTimesGradientClosedForm(s.Weights.Vision).Attribute(p.Input).EntryRelevance;
        double worst = exact.Zip(closed, (x, y) => Math.Abs(x - y)).Max(), scale = exact.Max(Math.Abs);
        output.WriteLine($"β ≠ 0: max |Eq. 31 − backprop| {worst:G3} against max |R| {scale:G3}");
        Assert.True(worst > 1e-3 * scale, "with LN_post's β the closed form should differ measurably");
    }

    [Fact]
    public void Equation31RefusesAHookItDoesNotHoldAt()
    {
        var s = Tiny(seed: 82);
        var p = Prepared.At(s, Residual(1, TokenSelection.Cls), seed: 13);
        Assert.Throws<NotSupportedException>(() => new ActTimesGradientClosedForm(s.Weights.Vision).Attribute(p.Input));
    }

    [Fact]
    public void LatentsAreListedMostRelevantFirstWithActivationAndRelevanceSummedOverTokens()
    {
        var p = Prepared.At(Tiny(seed: 90), Residual(1, TokenSelection.All), seed: 14);
        var result = new ActTimesGradient().Attribute(p.Input);
        var a = p.Input.Decomposition.Activations;
        var naive = new Dictionary<int, (double A, double R)>();
        for (int e = 0; e < a.Values.Length; e++)
            if (a.Values[e] > 0)
            {
                var (sumA, sumR) = naive.GetValueOrDefault(a.Indices[e]);
                naive[a.Indices[e]] = (sumA + a.Values[e], sumR + result.EntryRelevance[e]);
            }
        Assert.Equal(naive.Count, result.Latents.Count);
        foreach (var l in result.Latents)
        {
            Assert.Equal(naive[l.Latent].A, l.Activation, 9);
            Assert.Equal(naive[l.Latent].R, l.Relevance, 9);
        }
        Assert.Equal(result.Latents.OrderByDescending(l => l.Relevance).Select(l => l.Latent), result.Latents.Select(l => l.Latent));
    }
}
