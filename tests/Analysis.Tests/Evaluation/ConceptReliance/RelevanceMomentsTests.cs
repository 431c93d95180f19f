using Actors.Analysis.Evaluation.ConceptReliance;
using static Actors.Analysis.Tests.Evaluation.EvaluationTestData;

namespace Actors.Analysis.Tests.Evaluation.ConceptReliance;

public class RelevanceMomentsTests
{
    private static (double Mean, double Sd, long Nonzero) TwoPass(IEnumerable<double> values)
    {
        var x = values.ToArray();
        double mean = x.Average();
        return (mean, Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1)), x.LongCount(v => v != 0));
    }

    [Fact]
    public void ProfileMomentsMatchATwoPassMeanDeviationAndNonzeroCountPerLatent()
    {
        var r = SparseVectors(200, 30, 0.3, 21);
        var scores = Gaussians(200, 22, 0.3, 0.05);
        var profile = ClassRelevanceProfile.FromSamples(r, scores);
        for (int j = 0; j < 30; j++)
        {
            var (mean, sd, nonzero) = TwoPass(r.Select(v => (double)v[j]));
            Assert.Equal(200, profile.Latents[j].Count);
            Assert.Equal(nonzero, profile.Latents[j].NonzeroCount);
            AssertClose(mean, profile.Latents[j].Mean, 1e-12, 1e-14, $"mean {j}");
            AssertClose(sd, profile.Latents[j].StandardDeviation, 1e-12, 1e-14, $"sd {j}");
        }
        var s = TwoPass(scores);
        AssertClose(s.Mean - 1.5 * s.Sd, profile.ScoreThreshold(), 1e-12, 1e-14, "score threshold");
    }

    [Fact]
    public void MergedProfilesOfBatchesEqualTheProfileOfTheirConcatenation()
    {
        var r = SparseVectors(150, 20, 0.4, 23);
        var scores = Gaussians(150, 24);
        var whole = ClassRelevanceProfile.FromSamples(r, scores);
        var merged = ClassRelevanceProfile.Empty(20);
        foreach (var (start, length) in new[] { (0, 1), (1, 60), (61, 2), (63, 87) })
            merged = ClassRelevanceProfile.Merge(merged,
                ClassRelevanceProfile.FromSamples(r.Skip(start).Take(length).ToArray(), scores.AsSpan(start, length)));
        Assert.Equal(whole.Scores.Count, merged.Scores.Count);
        AssertClose(whole.Scores.Mean, merged.Scores.Mean, 1e-12, 1e-14, "score mean");
        AssertClose(whole.Scores.M2, merged.Scores.M2, 1e-12, 1e-14, "score M2");
        for (int j = 0; j < 20; j++)
        {
            Assert.Equal(whole.Latents[j].Count, merged.Latents[j].Count);
            Assert.Equal(whole.Latents[j].NonzeroCount, merged.Latents[j].NonzeroCount);
            AssertClose(whole.Latents[j].Mean, merged.Latents[j].Mean, 1e-12, 1e-14, $"mean {j}");
            AssertClose(whole.Latents[j].M2, merged.Latents[j].M2, 1e-12, 1e-14, $"M2 {j}");
        }
    }

    [Fact]
    public void ZScoresAreDeviationsFromTheClassMeanInSampleStandardDeviations()
    {
        var r = SparseVectors(80, 12, 0.5, 25);
        var profile = ClassRelevanceProfile.FromSamples(r, Gaussians(80, 26));
        var test = SparseVectors(1, 12, 0.8, 27)[0];
        var z = profile.ZScores(test);
        for (int j = 0; j < 12; j++)
        {
            var (mean, sd, _) = TwoPass(r.Select(v => (double)v[j]));
            if (sd > 0) AssertClose((test[j] - mean) / sd, z[j], 1e-11, 1e-13, $"z {j}");
        }
    }

    [Fact]
    public void ALatentWhoseRelevanceNeverVariedGivesInfiniteZForAnyOtherValue()
    {
        var constant = default(RelevanceMoments).Add(0).Add(0).Add(0);
        Assert.Equal(double.PositiveInfinity, constant.ZScore(0.1));
        Assert.Equal(double.NegativeInfinity, constant.ZScore(-0.1));
        Assert.Equal(0, constant.ZScore(0));
        Assert.Equal(0, constant.NonzeroCount);
        Assert.True(double.IsNaN(default(RelevanceMoments).Add(1).ZScore(2)));
    }
}
