using Actors.Analysis.Gradients;
using Actors.Analysis.Relevance;
using Actors.Sae;
using Xunit.Abstractions;
using static Actors.Analysis.Tests.AnalysisTestBuilders;

namespace Actors.Analysis.Tests.Relevance;

/// <summary>The baselines of seed 000 Sec. 5.1 against independent computations.</summary>
public class BaselineTests(ITestOutputHelper output)
{
    /// <summary>LogitLens_j(t) written out in double: v = W_dec[j]/s, LN_post with its γ, β, ε, then W_proj, then the cosine.</summary>
    static double NaiveLogitLens(Prepared p, int latent)
    {
        var sae = p.Attributor.Sae; int w = sae.DIn; double s = sae.Config.ActivationScale;
        var v = Enumerable.Range(0, w).Select(i => sae.DecoderWeights[latent * w + i] / s).ToArray();
        if (p.Hook.Site == HookSite.ResidualPost)
        {
            var vw = p.Setup.Weights.Vision;
            double mean = v.Average(), variance = v.Sum(x => (x - mean) * (x - mean)) / w, eps = p.Setup.Vision.Config.LayerNormEps;
            var normed = v.Select((x, i) => (x - mean) / Math.Sqrt(variance + eps) * vw.PostLnGamma[i] + vw.PostLnBeta[i]).ToArray();
            int proj = vw.Projection.Length / w;
            v = Enumerable.Range(0, proj).Select(o => Enumerable.Range(0, w).Sum(i => normed[i] * vw.Projection[o * w + i])).ToArray();
        }
        return Cosine(v, p.Setup.Text.ToDouble());
    }

    public static IEnumerable<object[]> LensHooks() => [[true], [false]];

    [Theory]
    [MemberData(nameof(LensHooks))]
    public void LogitLensAndActTimesLogitLensMatchANaiveLogitLens(bool imageEmbedding)
    {
        var p = Prepared.At(Tiny(seed: 100), imageEmbedding ? SaeHookSpec.ImageEmbeds : Residual(2, TokenSelection.Cls), seed: 15, scale: 2f);
        var lens = new LogitLensRelevance().Attribute(p.Input);
        var actLens = new ActTimesLogitLens().Attribute(p.Input);
        var expectedLens = lens.Latents.Select(l => NaiveLogitLens(p, l.Latent)).ToList();
        AssertClose(output, "LogitLens (Eq. 3) vs naive", expectedLens, lens.Latents.Select(l => l.Relevance).ToList(), 1e-5);
        var byLatent = actLens.Latents.ToDictionary(l => l.Latent);
        AssertClose(output, "Act×LogitLens vs a_j · naive LogitLens", lens.Latents.Select(l => byLatent[l.Latent].Activation * NaiveLogitLens(p, l.Latent)).ToList(),
            lens.Latents.Select(l => byLatent[l.Latent].Relevance).ToList(), 1e-5);
        Assert.Null(actLens.Bias); Assert.Null(lens.Error);
    }

    [Fact]
    public void LogitLensIsAPerLatentScoreNotSummedOverTokens()
    {
        var p = Prepared.At(Tiny(seed: 101), Residual(2, TokenSelection.All), seed: 16);
        var lens = new LogitLensRelevance().Attribute(p.Input);
        foreach (var l in lens.Latents) Assert.Equal(NaiveLogitLens(p, l.Latent), l.Relevance, 5);
    }

    [Fact]
    public void EnergyIsActivationTimesTheFeatureVectorsNorm()
    {
        var p = Prepared.At(Tiny(seed: 102), Residual(1, TokenSelection.All), seed: 17, scale: 0.5f);
        var energy = new EnergyRelevance().Attribute(p.Input);
        var sae = p.Attributor.Sae; int w = sae.DIn;
        var expected = energy.Latents.Select(l => l.Activation * Math.Sqrt(Enumerable.Range(0, w).Sum(i => Math.Pow(sae.DecoderWeights[l.Latent * w + i] / 0.5, 2)))).ToList();
        AssertClose(output, "Energy vs a_j‖v_j‖", expected, energy.Latents.Select(l => l.Relevance).ToList(), 1e-6);
    }

    [Theory]
    [InlineData(-1, TokenSelection.Cls)]
    [InlineData(1, TokenSelection.Cls)]
    [InlineData(0, TokenSelection.All)]
    public void IntegratedGradientsAddUpToTheScoreChangeFromTheZeroBaselineAsStepsGrow(int layer, TokenSelection tokens)
    {
        var p = Prepared.At(Tiny(seed: 103), layer < 0 ? SaeHookSpec.ImageEmbeds : Residual(layer, tokens), seed: 18);
        var d = p.Input.Decomposition;
        double y = ReferenceScore(p.Setup, p.Hook, d.Image.Residual, d.Image.Rows.ToDouble(), p.Setup.Text);
        double y0 = ReferenceScore(p.Setup, p.Hook, d.Image.Residual, d.ScaledRows(0).ToDouble(), p.Setup.Text);
        double Gap(int steps, IntegrationRule rule)
        {
            var ig = new IntegratedGradients(steps, rule).Attribute(p.Input);
            Assert.Equal(y0, ig.Baseline!.Value, 5);
            return Math.Abs(ig.Latents.Sum(l => l.Relevance) - (y - y0));
        }
        double r10 = Gap(10, IntegrationRule.RightRiemann), r40 = Gap(40, IntegrationRule.RightRiemann), r160 = Gap(160, IntegrationRule.RightRiemann);
        double t10 = Gap(10, IntegrationRule.Trapezoid), t40 = Gap(40, IntegrationRule.Trapezoid);
        output.WriteLine($"{p.Hook.HookName} ({tokens}): y − y(0) = {y - y0:G4}; |Σ IG − (y − y(0))| right Riemann 10/40/160 steps: {r10:G3} {r40:G3} {r160:G3}; trapezoid 10/40: {t10:G3} {t40:G3}");
        Assert.True(Math.Abs(y - y0) > 1e-3, "the baseline should move y");
        Assert.True(r40 < r10 && r160 < r40, "the Riemann gap shrinks with the steps");
        Assert.True(r160 < 0.02 * Math.Abs(y - y0));
        Assert.True(t40 < 1e-3 * Math.Abs(y - y0) + 1e-6, "the trapezoid rule is second order");
    }

    [Fact]
    public void IntegratedGradientsWithOneRightRiemannStepIsActTimesGradient()
    {
        var p = Prepared.At(Tiny(seed: 104), Residual(1, TokenSelection.All), seed: 19);
        var ig = new IntegratedGradients(1).Attribute(p.Input);
        var grad = new ActTimesGradient().Attribute(p.Input);
        AssertClose(output, "IG(1 step) vs Act×Grad", grad.EntryRelevance, ig.EntryRelevance, 1e-6);
    }

    [Fact]
    public void IntegratedGradientsAtTheImageEmbeddingMatchANaiveQuadratureOfTheClosedFormGradient()
    {
        var p = Prepared.At(Tiny(seed: 105), SaeHookSpec.ImageEmbeds, seed: 20);
        var d = p.Input.Decomposition;
        var a = d.Activations;
        var t = p.Setup.Text.ToDouble();
        var expected = new double[a.Values.Length];
        for (int k = 1; k <= 10; k++)
        {
            // h(α) in double, and ∂y/∂h = (t̂ − y·ĥ)/‖h‖ written out.
            double alpha = k / 10.0;
            var h = d.Image.Rows.Select((v, i) => v - (1 - alpha) * ((double)d.Reconstruction[i] - d.Bias[i])).ToArray();
            double hn = Math.Sqrt(h.Sum(v => v * v)), tn = Math.Sqrt(t.Sum(v => v * v)), yk = Cosine(h, t);
            var g = h.Select((v, i) => (t[i] / tn - yk * v / hn) / hn).ToArray();
            for (int e = 0; e < a.Values.Length; e++)
                expected[e] += a.Values[e] * d.FeatureVector(a.Indices[e]).Select((v, i) => v * g[i]).Sum() / 10;
        }
        AssertClose(output, "IG at image_embeds vs naive quadrature", expected, new IntegratedGradients().Attribute(p.Input).EntryRelevance, 1e-5);
    }

    [Fact]
    public void RandomScoresOnlyActiveLatentsAndTheSeedFixesThem()
    {
        var p = Prepared.At(Tiny(seed: 106), Residual(1, TokenSelection.All), seed: 21);
        var first = new RandomRelevance(5).Attribute(p.Input);
        Assert.Equal(first.EntryRelevance, new RandomRelevance(5).Attribute(p.Input).EntryRelevance);
        Assert.NotEqual(first.EntryRelevance, new RandomRelevance(6).Attribute(p.Input).EntryRelevance);
        var a = p.Input.Decomposition.Activations;
        for (int e = 0; e < a.Values.Length; e++)
            if (a.Values[e] == 0) Assert.Equal(0, first.EntryRelevance[e]);
            else Assert.NotEqual(0, first.EntryRelevance[e]);
        Assert.Equal(new ActTimesGradient().Attribute(p.Input).Latents.Select(l => l.Latent).Order(), first.Latents.Select(l => l.Latent).Order());
    }

    [Fact]
    public void EveryMethodNamesItselfAsSeed000Fig3Does()
    {
        ILatentRelevance[] methods = [new ActTimesGradient(), new ActTimesLogitLens(), new IntegratedGradients(), new LogitLensRelevance(), new EnergyRelevance(), new RandomRelevance(0)];
        Assert.Equal(["Act×Grad", "Act×LogitLens", "Integrated Grad", "LogitLens", "Energy", "random"], methods.Select(m => m.Name));
    }
}
