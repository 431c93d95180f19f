using Actors.GpuHost.Training;

namespace Actors.GpuHost.Tests.Training;

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
    public void FlipFractionCountsOnlyAttacksPredictedAsTheWrittenClass()
    {
        int[] truth = [0, 1, 2, 3, 4];
        int[] written = [1, 1, 0, 0, 0];           // the second image is not an attack
        int[] pred = [1, 1, 2, 0, 2];              // attacks: 4; flipped: first and fourth
        Assert.Equal(0.5, ZeroShotMetrics.FlipFraction(pred, truth, written));
        Assert.Throws<ArgumentException>(() => ZeroShotMetrics.FlipFraction([0], [0], [0]));
    }
}
