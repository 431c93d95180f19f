using Actors.Analysis.Alignment;
using Actors.GpuHost.Analysis;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;
using Xunit.Abstractions;

namespace Actors.GpuHost.Tests.Analysis;

/// <summary>The batched cosines of labelling against the per-pair references of src/Analysis (seed 000 Eq. 2 and 3).</summary>
public sealed class ConceptCosinesTests(ITestOutputHelper output)
{
    static float[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(7, 5, 16)]
    [InlineData(33, 130, 17)]   // sizes past BLAS's blocking, with leftovers
    public void SemanticAlignmentFromTheBatchedCosinesEqualsTheReferenceEquation2(int latents, int concepts, int dim)
    {
        var rng = new Random(latents * 1000 + concepts);
        var set = new ConceptSet(Enumerable.Range(0, concepts).Select(i => $"c{i}").ToArray(), Random(rng, concepts * dim), dim);
        var means = Random(rng, latents * dim);
        var empty = Random(rng, dim);
        var batched = new ConceptCosines(set).Of(means, latents);
        double worst = 0;
        for (int j = 0; j < latents; j++)
        {
            var mean = means.AsSpan(j * dim, dim);
            var expected = SemanticAlignment.Scores(mean, set, empty);
            double emptyCos = Actors.Analysis.Gradients.ImageTextScore.Cosine(mean, empty);
            for (int c = 0; c < concepts; c++) worst = Math.Max(worst, Math.Abs(expected[c] - (batched[j * concepts + c] - emptyCos)));
        }
        output.WriteLine($"{latents} × {concepts} (dim {dim}): max |s_j(t) − Eq. 2 in double| {worst:G3}");
        Assert.True(worst <= 1e-5, $"max difference {worst}");
    }

    [Fact]
    public void LogitLensFromTheBatchedCosinesEqualsTheReferenceEquation3()
    {
        var config = RandomClipModel.Preset("tiny");
        var weights = RandomClipModel.Generate(config, 3);
        var sae = SparseAutoencoder.CreateRandom(new TopKSaeConfig(config.Vision.HiddenSize, 24, 4), 4);
        var lens = new LogitLens(new SaeHookSpec(config.Vision.Layers - 1, TokenSelection.Cls, "last"), sae, weights.Vision, config.Vision.LayerNormEps);
        var rng = new Random(5);
        var set = new ConceptSet(Enumerable.Range(0, 9).Select(i => $"c{i}").ToArray(), Random(rng, 9 * lens.EmbeddingDim), lens.EmbeddingDim);
        var batched = new ConceptCosines(set).Of(Enumerable.Range(0, 24).SelectMany(lens.Embedding).ToArray(), 24);
        for (int j = 0; j < 24; j++)
        {
            var expected = lens.Scores(j, set);
            for (int c = 0; c < 9; c++) Assert.Equal(expected[c], batched[j * 9 + c], 1e-6);
        }
    }

    [Fact]
    public void TopPicksTheHighestScoresBestFirstWithTiesToTheLowerIndexAsConceptSetDoes()
    {
        float[] scores = [0.2f, 0.9f, 0.5f, 0.9f, -1f, 0.5f];
        Assert.Equal([1, 3, 2, 5], ConceptCosines.Top(scores, 4));
        Assert.Equal([1, 3, 2, 5, 0, 4], ConceptCosines.Top(scores, 10));
        var set = new ConceptSet(["a", "b", "c", "d", "e", "f"], new float[6], 1);
        Assert.Equal(set.Top(scores.Select(s => (double)s).ToArray(), 4).Select(c => c.Index), ConceptCosines.Top(scores, 4));
    }

    [Fact]
    public void AZeroRowHasCosineZeroWithEveryConcept()
    {
        var set = new ConceptSet(["a", "b"], [1, 0, 0, 1], 2);
        Assert.Equal([0f, 0f, 0.6f, 0.8f], new ConceptCosines(set).Of([0, 0, 3, 4], 2));
    }
}
