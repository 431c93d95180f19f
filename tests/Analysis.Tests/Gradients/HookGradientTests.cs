using Actors.Analysis.Gradients;
using Actors.Sae;
using Xunit.Abstractions;
using static Actors.Analysis.Tests.AnalysisTestBuilders;

namespace Actors.Analysis.Tests.Gradients;

/// <summary>∂y/∂h against central finite differences of the double-precision reference CLIP (float32 analytic gradient,
/// so the tolerance is relative to the largest gradient entry: 1e-4; measured ≤ 1e-6).</summary>
public class HookGradientTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    [Fact]
    public void ClosedFormEmbeddingGradientMatchesCentralDifferences()
    {
        var rng = new Random(11);
        var x = Enumerable.Range(0, 16).Select(_ => (float)Gaussian(rng)).ToArray();
        var t = Enumerable.Range(0, 16).Select(_ => (float)Gaussian(rng)).ToArray();
        var gradient = new float[16];
        double y = ImageTextScore.Gradient(x, t, gradient);
        Assert.Equal(Cosine(x.ToDouble(), t.ToDouble()), y, 12);
        var fd = CentralDifferences(h => Cosine(h, t.ToDouble()), x);
        AssertClose(output, "∂y/∂x closed form vs finite differences", fd, gradient.ToDouble(), 1e-5);
    }

    [Theory]
    [InlineData(-1, TokenSelection.Cls)]       // the image embedding
    [InlineData(2, TokenSelection.Cls)]        // last block, class token: seed 000's SAE
    [InlineData(1, TokenSelection.Cls)]        // a middle block
    [InlineData(1, TokenSelection.All)]
    [InlineData(0, TokenSelection.Patches)]
    public void GradientAtTheHookMatchesCentralDifferencesOfTheDoubleReference(int layer, TokenSelection tokens)
    {
        var s = Tiny(seed: 21 + layer);
        var hook = layer < 0 ? SaeHookSpec.ImageEmbeds : Residual(layer, tokens);
        var gradient = new HookGradient(s.Vision, s.Weights.Vision, hook);
        var image = gradient.Capture(s.Pixels);
        var result = gradient.Evaluate(image, s.Text);
        Assert.Equal(ReferenceScore(s, hook, image.Residual, image.Rows.ToDouble(), s.Text), result.Score, 4);
        var fd = CentralDifferences(h => ReferenceScore(s, hook, image.Residual, h, s.Text), image.Rows);
        AssertClose(output, $"∂y/∂h at {hook.HookName} ({tokens}) vs finite differences", fd, result.Gradient.ToDouble(), Tolerance);
    }

    [Fact]
    public void TheTailForwardReproducesTheModelsImageEmbedding()
    {
        var s = Tiny(seed: 31);
        var expected = s.Vision.Encode(s.Pixels, 1).ToDouble();
        foreach (var hook in new[] { Residual(0, TokenSelection.All), Residual(2, TokenSelection.Cls), SaeHookSpec.ImageEmbeds })
        {
            var gradient = new HookGradient(s.Vision, s.Weights.Vision, hook);
            AssertClose(output, $"embedding through {hook.HookName}", expected, gradient.Evaluate(gradient.Capture(s.Pixels), s.Text).Embedding.ToDouble(), 1e-4);
        }
    }

    [Fact]
    public void EditedRowsChangeTheScoreAsTheReferenceDoes()
    {
        var s = Tiny(seed: 41);
        var hook = Residual(1, TokenSelection.Cls);
        var gradient = new HookGradient(s.Vision, s.Weights.Vision, hook);
        var image = gradient.Capture(s.Pixels);
        var edited = image.Rows.Select((v, i) => i % 3 == 0 ? 0f : 1.5f * v).ToArray();
        Assert.Equal(ReferenceScore(s, hook, image.Residual, edited.ToDouble(), s.Text), gradient.Score(image, edited, s.Text), 4);
    }
}
