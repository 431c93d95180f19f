using Actors.Analysis.Evaluation.ConceptReliance;
using Actors.Tensors;
using static Actors.Analysis.Tests.Evaluation.EvaluationTestData;

namespace Actors.Analysis.Tests.Evaluation.ConceptReliance;

public class FailureDetectionTests
{
    private const int Latents = 16, Polysemous = 3, Rare = 7, Common = 5;

    /// <summary>
    /// A "crane" class: latent 5 carries its relevance, latent 3 ("construction machine") is never relevant on it.
    /// Outside the class: 15 confident machine images on which latent 3 is strongly relevant, 20 unconfident ones
    /// with the same latent, 8 confident images of another latent 7 (too few to flag), and 40 confident images
    /// relying on latent 5 as the class does.
    /// </summary>
    private static (ClassRelevanceProfile Profile, float[][] Relevance, double[] Scores, int[] Labels) Crane()
    {
        var rng = new SplitMix64(31);
        var classRelevance = new List<float[]>();
        var classScores = new List<double>();
        for (int s = 0; s < 200; s++)
        {
            var r = new float[Latents];
            r[Common] = (float)(0.05 + 0.01 * Gaussian(rng));
            if (s % 10 == 0) r[Polysemous] = (float)(0.001 * rng.NextDouble()); // rare, tiny: σ̂ small but non-zero
            r[Rare] = (float)(0.002 * Gaussian(rng));
            classRelevance.Add(r);
            classScores.Add(0.30 + 0.02 * Gaussian(rng));
        }
        var profile = ClassRelevanceProfile.FromSamples(classRelevance, classScores.ToArray());

        var relevance = new List<float[]>(); var scores = new List<double>(); var labels = new List<int>();
        void Add(int label, double score, Action<float[]> fill) { var r = new float[Latents]; fill(r); relevance.Add(r); scores.Add(score); labels.Add(label); }
        for (int s = 0; s < 15; s++) Add(1, 0.31 + 0.01 * rng.NextDouble(), r => r[Polysemous] = (float)(0.04 + 0.01 * rng.NextDouble()));
        for (int s = 0; s < 20; s++) Add(2, 0.10 + 0.05 * rng.NextDouble(), r => r[Polysemous] = 0.05f);
        for (int s = 0; s < 8; s++) Add(3, 0.32, r => r[Rare] = 0.5f);
        for (int s = 0; s < 40; s++) Add(4, 0.30, r => r[Common] = (float)(0.05 + 0.01 * Gaussian(rng)));
        for (int s = 0; s < 12; s++) Add(0, 0.35, r => r[Polysemous] = 0.9f); // the class's own samples are never candidates
        return (profile, relevance.ToArray(), scores.ToArray(), labels.ToArray());
    }

    [Fact]
    public void AConfidentPolysemousSetIsFlaggedAndUnconfidentOrTooFewSamplesAreNot()
    {
        var (profile, relevance, scores, labels) = Crane();
        var result = FailureDetection.Detect(0, profile, relevance, scores, labels);

        var flagged = Assert.Single(result.Flagged);
        Assert.Equal(Polysemous, flagged.Latent);
        Assert.Equal(Enumerable.Range(0, 15), flagged.Samples);
        Assert.All(flagged.ZScores, z => Assert.True(z > 3));
        Assert.Equal(20, flagged.ReferenceNonzeroCount);
        // The 20 unconfident images and the class's own 12 are not candidates; the rest are.
        Assert.Equal(Enumerable.Range(0, 15).Concat(Enumerable.Range(35, 48)), result.HighConfidence.Select(h => h.Sample));
    }

    [Fact]
    public void DetectionMatchesANaiveLoopOverRandomClassesAndCandidates()
    {
        var rng = new SplitMix64(33);
        for (int trial = 0; trial < 5; trial++)
        {
            int d = 24, nClass = 60, nOther = 300;
            var reference = SparseVectors(nClass, d, 0.3, (ulong)(100 + trial), 0.05);
            var referenceScores = Gaussians(nClass, (ulong)(200 + trial), 0.3, 0.03);
            var profile = ClassRelevanceProfile.FromSamples(reference, referenceScores);
            var candidates = SparseVectors(nOther, d, 0.3, (ulong)(300 + trial), 0.05);
            for (int s = 0; s < nOther; s++) for (int j = 0; j < 4; j++) if (rng.NextDouble() < 0.3) candidates[s][j] = 3f;
            var scores = Gaussians(nOther, (ulong)(400 + trial), 0.28, 0.04);
            var labels = Enumerable.Range(0, nOther).Select(_ => rng.NextInt(4)).ToArray();
            var options = new FailureDetectionOptions(MinActiveSamples: 5);
            var result = FailureDetection.Detect(0, profile, candidates, scores, labels, options);

            double meanY = referenceScores.Average();
            double sdY = Math.Sqrt(referenceScores.Sum(v => (v - meanY) * (v - meanY)) / (nClass - 1));
            var high = Enumerable.Range(0, nOther).Where(s => labels[s] != 0 && scores[s] > meanY - 1.5 * sdY).ToArray();
            Assert.Equal(high, result.HighConfidence.Select(h => h.Sample));
            var expected = new List<(int Latent, int[] Samples)>();
            for (int j = 0; j < d; j++)
            {
                double mu = reference.Average(v => (double)v[j]);
                double sd = Math.Sqrt(reference.Sum(v => (v[j] - mu) * (v[j] - mu)) / (nClass - 1));
                var hits = high.Where(s => candidates[s][j] != 0 && (sd > 0 ? (candidates[s][j] - mu) / sd > 3 : candidates[s][j] > mu)).ToArray();
                if (hits.Length >= 5) expected.Add((j, hits));
            }
            expected = expected.OrderByDescending(e => e.Samples.Length).ThenBy(e => e.Latent).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(e => e.Latent), result.Flagged.Select(f => f.Latent));
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Samples, result.Flagged[i].Samples);
        }
    }

    [Fact]
    public void HiddenConceptsAreRelevantAtLeastTauRelAndAlignedAtMostTauAlign()
    {
        float[] relevance = [0.5f, 0.2f, 0.9f, 0.3f, 0.3f, 0.01f];
        float[] alignment = [0.1f, 0.0f, 0.2f, 0.05f, 0.01f, -0.3f];
        // latent 2 is too aligned (0.2 > 0.15), latents 1 and 5 too weak; 3 and 4 tie on relevance, lower index first.
        Assert.Equal([0, 3, 4], HiddenConcepts.Select(relevance, alignment, 0.3f, 0.15f));
        Assert.Equal([2, 0, 3, 4], HiddenConcepts.Select(relevance, alignment, 0.3f, 0.2f));
    }
}
