using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Xunit.Abstractions;
using static Actors.Vision.Tests.Clip.ClipTestData;

namespace Actors.Vision.Tests.Clip;

public class ZeroShotClassifierTests(ITestOutputHelper output)
{
    [Fact]
    public void ProbabilitiesAreTheSoftmaxOfScaledCosinesToEnsembledClassEmbeddings()
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 31) with { LogitScale = 2.0f };
        var model = new ClipModel(new CpuBackend(), weights);
        var reference = ClipReference.From(weights);
        string[] labels = ["cat", "dog", "star"];
        const int templates = 2;
        var ids = TokenRows(Tiny, [1, 2, 3, 4, 5, 6], seed: 32); // 3 labels × 2 templates, class-major
        var classifier = new ZeroShotClassifier(model, labels, templates, model.Text.Encode(ids, 6));
        var pixels = Pixels(Tiny, 2, 33);
        var probs = classifier.Classify(pixels, 2);

        // Reference: normalise each prompt, average per class, renormalise; softmax(exp(scale)·cos).
        static double[] Unit(double[] v) { double n = Math.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / n).ToArray(); }
        var prompts = reference.TextEmbeds(ids, 6).Select(Unit).ToArray();
        var classes = Enumerable.Range(0, 3).Select(c =>
            Unit(Enumerable.Range(0, Tiny.ProjectionDim).Select(j => (prompts[2 * c][j] + prompts[2 * c + 1][j]) / 2).ToArray())).ToArray();
        var expected = reference.ImageEmbeds(pixels, 2).Select(Unit).Select(img =>
        {
            var logits = classes.Select(c => Math.Exp(2.0) * img.Zip(c, (a, b) => a * b).Sum()).ToArray();
            double max = logits.Max(), z = logits.Sum(l => Math.Exp(l - max));
            return logits.Select(l => Math.Exp(l - max) / z).ToArray();
        }).ToArray();
        AssertClose(output, "zero-shot probabilities", probs, expected, 1e-5);
        for (int i = 0; i < 2; i++) Assert.Equal(1.0, probs.AsSpan(i * 3, 3).ToArray().Sum(), 5);
    }

    [Fact]
    public void PromptEmbeddingCountMustMatchLabelsTimesTemplates()
    {
        var model = new ClipModel(new CpuBackend(), RandomClipModel.Generate(Tiny, 34));
        var ex = Assert.Throws<ArgumentException>(() => new ZeroShotClassifier(model, ["a", "b"], 2, new float[3 * Tiny.ProjectionDim]));
        Assert.Contains("2 labels × 2 templates", ex.Message);
    }
}
