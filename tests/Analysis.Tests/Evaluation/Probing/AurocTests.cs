using Actors.Analysis.Evaluation.Probing;
using Actors.Tensors;
using static Actors.Analysis.Tests.Evaluation.EvaluationTestData;

namespace Actors.Analysis.Tests.Evaluation.Probing;

public class AurocTests
{
    /// <summary>The definition: over all (positive, negative) pairs, 1 when the positive is higher, ½ on a tie.</summary>
    private static double PairCount(double[] positives, double[] negatives)
    {
        double wins = 0;
        foreach (double p in positives)
        foreach (double q in negatives)
            wins += p > q ? 1 : p == q ? 0.5 : 0;
        return wins / (positives.Length * (double)negatives.Length);
    }

    [Fact]
    public void AurocEqualsTheNaivePairCountWithTiesAsHalfOnManySeededSamples()
    {
        var rng = new SplitMix64(41);
        for (int trial = 0; trial < 200; trial++)
        {
            int np = 1 + rng.NextInt(30), nn = 1 + rng.NextInt(30);
            double shift = rng.NextDouble();
            // Rounded to a coarse grid so ties between and within the groups are common.
            var pos = Enumerable.Range(0, np).Select(_ => Math.Round(2 * (Gaussian(rng) + shift)) / 2).ToArray();
            var neg = Enumerable.Range(0, nn).Select(_ => Math.Round(2 * Gaussian(rng)) / 2).ToArray();
            AssertClose(PairCount(pos, neg), Auroc.Compute(pos, neg), 1e-12, 1e-12, $"trial {trial}");
        }
    }

    [Fact]
    public void PerfectSeparationIsOneReversedIsZeroAndAllTiedIsOneHalf()
    {
        Assert.Equal(1.0, Auroc.Compute([3, 4, 5], [0, 1, 2]));
        Assert.Equal(0.0, Auroc.Compute([0, 1], [2, 3, 4]));
        Assert.Equal(0.5, Auroc.Compute([1, 1], [1, 1, 1]));
        Assert.Throws<ArgumentException>(() => Auroc.Compute([], [1.0]));
        Assert.Throws<ArgumentException>(() => Auroc.Compute([double.NaN], [1.0]));
    }

    [Fact]
    public void SpuriousAndValidAucSeparateTheClassFromDistractorsAndFromOtherClasses()
    {
        double[] classScores = [0.30, 0.32, 0.28, 0.31];
        double[] distractors = [0.29, 0.33, 0.20];   // a polysemous prompt: distractors score like the class
        double[] nonClass = [0.10, 0.12, 0.15, 0.05, 0.29];
        var auc = FailureModeAuc.Evaluate(classScores, distractors, nonClass);
        Assert.Equal(PairCount(classScores, distractors), auc.SpuriousAuc, 14);
        Assert.Equal(PairCount(classScores, nonClass), auc.ValidAuc, 14);
        Assert.Equal(7.0 / 12, auc.SpuriousAuc, 14);
        Assert.Equal(19.0 / 20, auc.ValidAuc, 14);
    }

    [Fact]
    public void TextPromptScoresAreCosineSimilaritiesAndTemplatesAverageUnitEmbeddings()
    {
        var y = TextPromptScores.Cosine([1f, 0f], [[2f, 0f], [0f, 3f], [1f, 1f], [-1f, 0f]]);
        AssertClose([1, 0, Math.Sqrt(0.5), -1], y, 1e-7, 1e-7, "cosines");
        var mean = TextPromptScores.MeanEmbedding([[2f, 0f], [0f, 5f]]);
        Assert.Equal([0.5f, 0.5f], mean);
    }
}
