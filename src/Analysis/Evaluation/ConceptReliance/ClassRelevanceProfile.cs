using Actors.Analysis.Evaluation.Statistics;

namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// What is expected of one class (seed 000 App. D.1): per latent, the moments of its relevance for the class prompt
/// over the class's own samples, and the moments of the model output y(x, t_class) over the same samples. Profiles of
/// disjoint batches merge into the profile of their union.
/// </summary>
public sealed record ClassRelevanceProfile(RelevanceMoments[] Latents, RunningMoments Scores)
{
    public int LatentCount => Latents.Length;

    public static ClassRelevanceProfile Empty(int latentCount) => new(new RelevanceMoments[latentCount], default);

    /// <summary>One pass over class samples: relevance[s] is the per-latent relevance R(x_s, t_class), scores[s] is y(x_s, t_class).</summary>
    public static ClassRelevanceProfile FromSamples(IReadOnlyList<float[]> relevance, ReadOnlySpan<double> scores)
    {
        if (relevance.Count == 0) throw new ArgumentException("a class profile needs at least one sample");
        if (scores.Length != relevance.Count) throw new ArgumentException($"{relevance.Count} relevance vectors but {scores.Length} scores");
        int d = relevance[0].Length;
        var latents = new RelevanceMoments[d];
        var scoreMoments = default(RunningMoments);
        for (int s = 0; s < relevance.Count; s++)
        {
            var r = relevance[s];
            if (r.Length != d) throw new ArgumentException($"relevance vectors of {d} and {r.Length} latents");
            for (int j = 0; j < d; j++) latents[j] = latents[j].Add(r[j]);
            scoreMoments = scoreMoments.Add(scores[s]);
        }
        return new ClassRelevanceProfile(latents, scoreMoments);
    }

    public static ClassRelevanceProfile Merge(ClassRelevanceProfile a, ClassRelevanceProfile b)
    {
        if (a.LatentCount != b.LatentCount) throw new ArgumentException($"profiles of {a.LatentCount} and {b.LatentCount} latents");
        var latents = new RelevanceMoments[a.LatentCount];
        for (int j = 0; j < latents.Length; j++) latents[j] = RelevanceMoments.Merge(a.Latents[j], b.Latents[j]);
        return new ClassRelevanceProfile(latents, RunningMoments.Merge(a.Scores, b.Scores));
    }

    /// <summary>App. D.1's high-confidence bar: the class's mean output minus <paramref name="margin"/> (1.5) standard deviations.</summary>
    public double ScoreThreshold(double margin = 1.5) => Scores.Mean - margin * Scores.StandardDeviation;

    /// <summary>Seed 000 Eq. 8 for every latent of one test sample.</summary>
    public double[] ZScores(ReadOnlySpan<float> relevance)
    {
        if (relevance.Length != LatentCount) throw new ArgumentException($"relevance of {relevance.Length} latents, profile of {LatentCount}");
        var z = new double[LatentCount];
        for (int j = 0; j < z.Length; j++) z[j] = Latents[j].ZScore(relevance[j]);
        return z;
    }
}
