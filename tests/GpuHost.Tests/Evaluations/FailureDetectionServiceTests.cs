using Actors.Analysis.Evaluation.Probing;
using Actors.GpuHost.Jobs.Evaluations;
using static Actors.GpuHost.Tests.Evaluations.PlantedWorld;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>
/// Seed 000 Eq. 7-8, App. D.1 and Sec. 5.3 on planted embeddings: ducks stand on land but for three, the duck prompt
/// leans towards water, and birds on water are the failure mode — the water latent must be flagged on exactly the
/// high-confidence birds whose z-score, worked out by hand, exceeds 3.
/// </summary>
public sealed class FailureDetectionServiceTests
{
    static readonly (string Id, string Label, float[] Embedding)[] Ducks =
        [.. Scenes("duck", "land", 47, 11, (1, 2)), .. Scenes("duck", "water", 3, 12, (1, 2))];
    static readonly (string Id, string Label, float[] Embedding)[] Birds =
        [.. Scenes("bird", "water", 12, 13, (0.8, 1.2)), .. Scenes("bird", "land", 30, 14, (0.8, 1.2))];
    static readonly float[] DuckPrompt = Prompts().Of("duck");

    static (double Mean, double Sd) Moments(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    static Grains.Evaluations.ClassFailureModes Detect(EncodedSamples samples, FailureDetectionSettings? settings = null) =>
        FailureDetectionService.Run(Model(), samples, samples, "duck", DuckPrompt, EmptyPrompt(), new FailureDetectionScope("planted", "c", "c", null), settings);

    [Fact]
    public void ThePlantedWaterLatentIsFlaggedOnExactlyTheHighConfidenceBirdsWhoseHandWorkedZScoreExceedsThree()
    {
        var run = Detect(Encode(Ducks, Birds));

        var (scoreMean, scoreSd) = Moments(Ducks.Select(d => Cosine(d.Embedding, DuckPrompt)));
        var (mu, sigma) = Moments(Ducks.Select(d => ActTimesGradient(d.Embedding, DuckPrompt, Water)));
        double threshold = scoreMean - 1.5 * scoreSd;
        var expected = Birds.Where(b => Cosine(b.Embedding, DuckPrompt) > threshold && b.Embedding[Water] > 0)
            .Select(b => (b.Id, Z: (ActTimesGradient(b.Embedding, DuckPrompt, Water) - mu) / sigma)).Where(b => b.Z > 3).ToArray();

        Assert.True(expected.Length >= 10, $"the planted world should give at least 10 failure images, gives {expected.Length}");
        Assert.Equal(threshold, run.ScoreThreshold, 1e-9);
        var flagged = Assert.Single(run.Flagged);
        Assert.Equal(Water, flagged.Latent);
        Assert.Equal(expected.Select(e => e.Id).Order(), flagged.Samples.Select(s => s.ImageId).Order());
        foreach (var (id, z) in expected) Assert.Equal(z, flagged.Samples.Single(s => s.ImageId == id).ZScore!.Value, z * 1e-5);
        Assert.Equal((mu, sigma), (flagged.ReferenceMean, flagged.ReferenceStdDev), new ToleranceComparer(1e-7));
        Assert.Equal(3, flagged.ReferenceNonzero);
        Assert.All(run.HighConfidence, h => Assert.Equal("bird", h.Label));
    }

    [Fact]
    public void FewerFailureImagesThanMinSamplesLeaveTheLatentANearMiss()
    {
        var run = Detect(Encode(Ducks, Birds), new FailureDetectionSettings(MinSamples: 100));
        Assert.Empty(run.Flagged);
        Assert.Equal(Water, run.NearMisses.First().Latent);
    }

    [Fact]
    public void HiddenConceptsAreTheLatentsWithRelevanceAtLeastTauRelAndAlignmentAtMostTauAlign()
    {
        var samples = Encode(Ducks, Birds);
        var all = Ducks.Concat(Birds).ToArray();
        var run = Detect(samples, new FailureDetectionSettings(RelevanceThreshold: -1, AlignmentThreshold: 0.5));
        var expected = Enumerable.Range(0, Latents).Where(j =>
        {
            // Eq. 2 by hand: the 20 most activating scenes' mean embedding against the prompt, minus against t_empty.
            var top = all.Where(s => s.Embedding[j] > 0).OrderByDescending(s => s.Embedding[j]).Take(20).ToArray();
            if (top.Length == 0) return false;
            var mean = Enumerable.Range(0, Dim).Select(i => (float)top.Average(s => s.Embedding[i])).ToArray();
            double s = Cosine(mean, DuckPrompt) - Cosine(mean, EmptyPrompt());
            double relevance = Ducks.Average(d => ActTimesGradient(d.Embedding, DuckPrompt, j));
            return relevance >= -1 && s <= 0.5;
        }).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), run.HiddenConcepts.Select(h => h.Latent).Order());
    }

    /// <summary>The definition of AUROC: over all (class, other) pairs, 1 when the class image scores higher, ½ on a tie.</summary>
    static double PairCount(double[] positives, double[] negatives) =>
        positives.Sum(p => negatives.Sum(q => p > q ? 1 : p == q ? 0.5 : 0)) / (positives.Length * (double)negatives.Length);

    /// <summary>A templated prober in the planted space: the duck leaning less on water than the class prompt's e0 + e2.</summary>
    static readonly float[] DuckTemplates = [0.9f, 0, 0.25f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void ProbingScoresTheFlaggedBirdsAgainstTheDucksWithTheClassPromptAndALinearProbe()
    {
        var samples = Encode(Ducks, Birds);
        var run = Detect(samples);
        var report = ProbingService.Run(samples, samples, "duck", DuckPrompt, DuckTemplates, run);
        var mode = Assert.Single(report.FailureModes);
        var flagged = run.Flagged[0].Samples.Select(s => s.ImageId).ToHashSet();
        double[] Scores(IEnumerable<(string Id, string Label, float[] Embedding)> set) => [.. set.Select(s => Cosine(s.Embedding, DuckPrompt))];
        var duckScores = Scores(Ducks);
        Assert.Equal(Auroc.Compute(duckScores, Scores(Birds.Where(b => flagged.Contains(b.Id)))), mode.TextPrompt.SpuriousAuc, 1e-12);
        Assert.Equal(Auroc.Compute(duckScores, Scores(Birds.Where(b => !flagged.Contains(b.Id)))), mode.TextPrompt.ValidAuc!.Value, 1e-12);
        Assert.Equal((flagged.Count, Birds.Length - flagged.Count), (mode.Distractors, mode.ValidNegatives));
        Assert.True(mode.LinearProbe.SpuriousAuc > 0.99, $"ducks and birds differ along e0 − e1; the probe's spurious AUC is {mode.LinearProbe.SpuriousAuc}");
        Assert.Equal((50, 42), (report.ClassImages, report.NonClassImages));
    }

    [Fact]
    public void TheTemplatedProbersSpuriousAndValidAucsAreThePairwiseAurocsOfItsCosines()
    {
        var samples = Encode(Ducks, Birds);
        var run = Detect(samples);
        var mode = Assert.Single(ProbingService.Run(samples, samples, "duck", DuckPrompt, DuckTemplates, run).FailureModes);
        var flagged = run.Flagged[0].Samples.Select(s => s.ImageId).ToHashSet();
        double[] Scores(IEnumerable<(string Id, string Label, float[] Embedding)> set) => [.. set.Select(s => Cosine(s.Embedding, DuckTemplates))];
        double spurious = PairCount(Scores(Ducks), Scores(Birds.Where(b => flagged.Contains(b.Id))));
        double valid = PairCount(Scores(Ducks), Scores(Birds.Where(b => !flagged.Contains(b.Id))));
        Assert.Equal(spurious, mode.TemplatedPrompt.SpuriousAuc, 1e-12);
        Assert.Equal(valid, mode.TemplatedPrompt.ValidAuc!.Value, 1e-12);
        // Leaning less on water, the templated prober tells the ducks from the birds on water better than the class prompt.
        Assert.True(mode.TemplatedPrompt.SpuriousAuc > mode.TextPrompt.SpuriousAuc,
            $"templated {mode.TemplatedPrompt.SpuriousAuc:F4}, class prompt {mode.TextPrompt.SpuriousAuc:F4}");
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) a, (double, double) b) => Math.Abs(a.Item1 - b.Item1) <= tolerance && Math.Abs(a.Item2 - b.Item2) <= tolerance;
        public int GetHashCode((double, double) obj) => 0;
    }
}
