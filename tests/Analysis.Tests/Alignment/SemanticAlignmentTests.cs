using Actors.Analysis.Alignment;
using Xunit.Abstractions;
using static Actors.Analysis.Tests.AnalysisTestBuilders;

namespace Actors.Analysis.Tests.Alignment;

/// <summary>s_j(t) (seed 000 Eq. 2) and clarity against naive references.</summary>
public class SemanticAlignmentTests(ITestOutputHelper output)
{
    static float[] Random(int count, int dim, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count * dim).Select(_ => scale * (float)Gaussian(rng)).ToArray();
    }

    static ConceptSet Concepts(int count, int dim, int seed) =>
        new(Enumerable.Range(0, count).Select(i => $"concept {i}").ToList(), Random(count, dim, seed), dim);

    [Fact]
    public void AlignmentIsTheCosineOfTheMeanReferenceEmbeddingMinusThatOfTheEmptyPrompt()
    {
        const int dim = 12, n = 20;
        var references = Random(n, dim, 1, scale: 3f);
        var concepts = Concepts(30, dim, 2);
        var empty = Random(1, dim, 3);
        var mean = Enumerable.Range(0, dim).Select(i => Enumerable.Range(0, n).Average(r => (double)references[r * dim + i])).ToArray();
        var expected = Enumerable.Range(0, concepts.Count)
            .Select(c => Cosine(mean, concepts.Embedding(c).ToDouble()) - Cosine(mean, empty.ToDouble())).ToList();
        var scores = SemanticAlignment.Scores(SemanticAlignment.MeanEmbedding(references, n, dim), concepts, empty);
        AssertClose(output, "s_j(t) vs naive", expected, scores, 1e-6);
    }

    [Fact]
    public void TheBestLabelIsTheConceptTheReferenceImagesShare()
    {
        const int dim = 16, n = 8;
        var concepts = Concepts(40, dim, 4);
        var rng = new Random(5);
        // Reference embeddings: concept 17's direction, scaled, plus noise.
        var references = new float[n * dim];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < dim; i++) references[r * dim + i] = (float)((1 + r) * concepts.Embedding(17)[i] + 0.3 * Gaussian(rng));
        var best = SemanticAlignment.BestLabels(references, n, concepts, Random(1, dim, 6), count: 3);
        Assert.Equal("concept 17", best[0].Label);
        Assert.Equal(17, best[0].Index);
        Assert.True(best[0].Score > best[1].Score && best[1].Score >= best[2].Score);
    }

    [Fact]
    public void ClarityIsTheMeanPairwiseCosineOfTheReferenceEmbeddings()
    {
        foreach (var (n, dim) in new[] { (2, 5), (20, 16), (7, 33) })
        {
            var e = Random(n, dim, n + dim);
            Assert.Equal(Clarity.Naive(e, n, dim), Clarity.Of(e, n, dim), 10);
        }
        var two = Random(2, 9, 7);
        Assert.Equal(Cosine(two.AsSpan(0, 9).ToDouble(), two.AsSpan(9, 9).ToDouble()), Clarity.Of(two, 2, 9), 10);
        // One direction at different lengths: clarity 1.
        var direction = Random(1, 9, 8);
        var same = Enumerable.Range(0, 5).SelectMany(k => direction.Select(v => v * (k + 1))).ToArray();
        Assert.Equal(1.0, Clarity.Of(same, 5, 9), 6);
        Assert.Throws<ArgumentException>(() => Clarity.Of(direction, 1, 9));
    }

    [Fact]
    public void LogitLensRanksAVocabularyByEquation3()
    {
        var s = Tiny(seed: 110);
        var sae = AnalysisTestBuilders.Sae(s.Vision.Config.HiddenSize, 24, 4, seed: 22);
        var lens = new LogitLens(Residual(2, Actors.Sae.TokenSelection.Cls), sae, s.Weights.Vision, s.Vision.Config.LayerNormEps);
        var concepts = Concepts(25, s.Vision.ProjectionDim, 23);
        for (int latent = 0; latent < 3; latent++)
        {
            var v = lens.Embedding(latent).ToDouble();
            var expected = Enumerable.Range(0, concepts.Count).Select(c => Cosine(v, concepts.Embedding(c).ToDouble())).ToList();
            AssertClose(output, $"latent {latent}: LogitLens_j over the vocabulary", expected, lens.Scores(latent, concepts), 1e-6);
            var top = lens.TopConcepts(latent, concepts, 5);
            Assert.Equal(expected.Select((score, i) => (score, i)).OrderByDescending(p => p.score).Take(5).Select(p => p.i), top.Select(c => c.Index));
        }
    }
}
