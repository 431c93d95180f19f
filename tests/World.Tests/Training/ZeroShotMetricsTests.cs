using Actors.World.Training;

namespace Actors.World.Tests.Training;

public class ZeroShotMetricsTests
{
    [Fact]
    public void ArgMaxPicksTheFirstLargestScorePerRow()
    {
        Assert.Equal([2, 0], ZeroShotMetrics.ArgMax([0.1f, 0.2f, 0.9f, 0.5f, 0.5f, 0.1f], 2, 3));
    }

    [Fact]
    public void WorstGroupAccuracyIsTheMinimumOverClassBackgroundPairs()
    {
        int[] truth = [0, 0, 0, 0, 1, 1, 1, 1];
        int[] pred = [0, 0, 0, 1, 1, 1, 0, 0];
        string[] group = ["0/water", "0/water", "0/land", "0/land", "1/land", "1/land", "1/water", "1/water"];
        var (worst, per) = ZeroShotMetrics.WorstGroupAccuracy(pred, truth, group);
        Assert.Equal(0.0, worst);
        Assert.Equal(1.0, per["0/water"]); Assert.Equal(0.5, per["0/land"]); Assert.Equal(1.0, per["1/land"]);
        Assert.Equal(5 / 8.0, ZeroShotMetrics.Accuracy(pred, truth));
    }

    [Fact]
    public void MeanMarginIsTheTrueScoreMinusTheBestOtherScoreAveragedPerGroup()
    {
        // three classes; rows: true 0 (margin 0.6-0.3), true 0 (0.2-0.5), true 2 (0.9-0.4), true 1 (0.5-0.1)
        float[] scores = [0.6f, 0.3f, 0.1f, 0.2f, 0.5f, 0.4f, 0.1f, 0.4f, 0.9f, 0.1f, 0.5f, 0.0f];
        var m = ZeroShotMetrics.MeanMarginByGroup(scores, 4, 3, [0, 0, 2, 1], ["a", "a", "b", "b"]);
        Assert.Equal((0.3 - 0.3) / 2, m["a"], 6);
        Assert.Equal((0.5 + 0.4) / 2, m["b"], 6);
        Assert.Throws<ArgumentException>(() => ZeroShotMetrics.MeanMarginByGroup(scores, 3, 3, [0, 0, 2], ["a", "a", "b"]));
    }

    [Fact]
    public void FlipFractionCountsOnlyAttacksPredictedAsTheWrittenClass()
    {
        int[] truth = [0, 1, 2, 3, 4];
        int[] written = [1, 1, 0, 0, 0];           // the second image is not an attack
        int[] pred = [1, 1, 2, 0, 2];              // attacks: 4; flipped: first and fourth
        Assert.Equal(0.5, ZeroShotMetrics.FlipFraction(pred, truth, written));
        Assert.Throws<ArgumentException>(() => ZeroShotMetrics.FlipFraction([0], [0], [0]));
    }
}
