using System.Text.Json;
using Actors.Analysis.Gradients;
using Actors.Sae;
using Actors.Vision.Clip;
using Xunit.Abstractions;

namespace Actors.Analysis.Tests.Gradients;

/// <summary>
/// ∂y/∂h of the shipped world CLIP against PyTorch autograd through Hugging Face transformers' CLIPModel (float64),
/// an implementation that shares none of our code: Fixtures/world_clip_score_gradients.json, written by
/// tests/fixtures-src/attribution/make_score_gradients.py from seeded pixels and a seeded text vector.
/// </summary>
public class AutogradReferenceTests(ITestOutputHelper output)
{
    static readonly JsonElement Fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "world_clip_score_gradients.json"))).RootElement;

    static string WorldClipFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return Path.Combine(dir.FullName, "models", "world-clip");
        throw new DirectoryNotFoundException("no Actors.sln above the test binaries");
    }

    static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    [Fact]
    public void ScoreEmbeddingAndGradientsAtTheEmbeddingAndAfterBlocksMatchAutograd()
    {
        var weights = ClipCheckpoint.Load(WorldClipFolder());
        var model = new ClipModel(new Actors.Tensors.Backends.CpuBackend(), weights);
        int size = Fixture.GetProperty("imageSize").GetInt32(), perImage = 3 * size * size;
        var pixels = Floats(Fixture.GetProperty("pixels"));
        var text = Floats(Fixture.GetProperty("text"));
        foreach (var c in Fixture.GetProperty("cases").EnumerateArray())
        {
            int i = c.GetProperty("image").GetInt32();
            var image = pixels.AsSpan(i * perImage, perImage);

            var atEmbedding = new HookGradient(model.Vision, weights.Vision, SaeHookSpec.ImageEmbeds);
            var captured = atEmbedding.Capture(image);
            var result = atEmbedding.Evaluate(captured, text);
            Assert.Equal(c.GetProperty("score").GetDouble(), result.Score, 4);
            AssertClose($"image {i}: image_embeds", Floats(c.GetProperty("imageEmbeds")), result.Embedding);
            AssertClose($"image {i}: ∂y/∂image_embeds", Floats(c.GetProperty("imageEmbedsGradient")), result.Gradient);

            foreach (var r in c.GetProperty("residualGradients").EnumerateArray())
            {
                int layer = r.GetProperty("layer").GetInt32();
                var hook = new SaeHookSpec(layer, TokenSelection.All, $"blocks.{layer}.hook_resid_post");
                var gradient = new HookGradient(model.Vision, weights.Vision, hook);
                var atBlock = gradient.Evaluate(gradient.Capture(image), text);
                AssertClose($"image {i}: ∂y/∂h after block {layer} (all tokens)", Floats(r.GetProperty("gradient")), atBlock.Gradient);
            }
        }
    }

    /// <summary>Max difference relative to the reference's largest entry (float32 against float64): 1e-4.</summary>
    void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v)), worst = 0;
        for (int k = 0; k < expected.Length; k++) worst = Math.Max(worst, Math.Abs(expected[k] - actual[k]));
        output.WriteLine($"{what}: max |Δ| {worst:E2} of max |ref| {scale:E2}");
        Assert.True(worst <= 1e-4 * scale, $"{what}: max |Δ| {worst:E3} exceeds 1e-4 × {scale:E3}");
    }
}
