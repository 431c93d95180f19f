using Actors.Analysis.Evaluation.Statistics;
using static Actors.Analysis.Tests.Evaluation.EvaluationTestData;

namespace Actors.Analysis.Tests.Evaluation.Statistics;

public class RunningMomentsTests
{
    [Fact]
    public void TwoValuesOneAndThreeHaveMeanTwoAndSampleVarianceTwo()
    {
        var m = RunningMoments.Of([1.0, 3.0]);
        Assert.Equal(2, m.Count);
        Assert.Equal(2.0, m.Mean, 15);
        Assert.Equal(2.0, m.SampleVariance, 15);
        Assert.True(double.IsNaN(RunningMoments.Of([5.0]).SampleVariance));
    }

    [Theory]
    [InlineData(1UL, 0.0)]
    [InlineData(2UL, 1e6)] // a large offset: the naive Σx² − n·mean² would lose the variance here
    public void OnePassMomentsMatchTheTwoPassMeanAndVariance(ulong seed, double offset)
    {
        var x = Gaussians(1000, seed, offset, 0.5);
        double mean = x.Average();
        double ss = x.Sum(v => (v - mean) * (v - mean));
        var m = RunningMoments.Of(x);
        AssertClose(mean, m.Mean, 1e-14, 1e-12, "mean");
        AssertClose(ss / (x.Length - 1), m.SampleVariance, 1e-9, 0, "sample variance");
    }

    [Fact]
    public void MergingTheMomentsOfAnySplitEqualsOnePassOverTheConcatenation()
    {
        var x = Gaussians(257, 3, 4, 2);
        var whole = RunningMoments.Of(x);
        foreach (int cut in new[] { 0, 1, 2, 100, 128, 256, 257 })
        {
            var merged = RunningMoments.Merge(RunningMoments.Of(x.AsSpan(0, cut)), RunningMoments.Of(x.AsSpan(cut)));
            Assert.Equal(whole.Count, merged.Count);
            AssertClose(whole.Mean, merged.Mean, 1e-13, 1e-13, $"mean, cut {cut}");
            AssertClose(whole.M2, merged.M2, 1e-12, 0, $"M2, cut {cut}");
        }
    }

    [Fact]
    public void MergingManyChunksInATreeEqualsOnePass()
    {
        var x = Gaussians(1000, 4, -3, 1);
        var chunks = Enumerable.Range(0, 10).Select(c => RunningMoments.Of(x.AsSpan(c * 100, 100))).ToList();
        while (chunks.Count > 1)
            chunks = chunks.Chunk(2).Select(p => p.Length == 2 ? RunningMoments.Merge(p[0], p[1]) : p[0]).ToList();
        var whole = RunningMoments.Of(x);
        AssertClose(whole.Mean, chunks[0].Mean, 1e-13, 1e-13, "mean");
        AssertClose(whole.SampleVariance, chunks[0].SampleVariance, 1e-12, 0, "variance");
    }

    [Fact]
    public void TheStandardErrorOfOneToFourIsTheSampleDeviationOverTwo()
    {
        var m = MeanWithError.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, m.Mean, 15);
        Assert.Equal(Math.Sqrt(5.0 / 3.0) / 2, m.StandardError, 14);
        Assert.Equal(4, m.Count);
    }
}
