namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// Seed 000 Sec. 4.2b / 5.3 and App. D.1: relevance higher than expected. Expectations come from the class profile;
/// samples of other classes whose output exceeds the class's mean − 1.5 sd are the high-confidence candidates; on
/// each, every latent gets the z-score of Eq. 8. App. D.1 flags "components with a resulting z-score above 3.0 and
/// at least 10 non-zero activations"; read here as: the latent is active (relevance ≠ 0) with z > 3 on at least 10
/// of the high-confidence samples, so that each flagged latent comes with a set of samples on which it fires
/// unexpectedly (the paper's benchmark sets). A latent's activity on the class itself is kept in the result
/// (ReferenceNonzeroCount) for hosts that read the rule as a bar on the reference set instead.
/// </summary>
public static class FailureDetection
{
    /// <param name="relevance">per candidate sample, R(x, t_class) for every latent</param>
    /// <param name="scores">per candidate sample, y(x, t_class)</param>
    /// <param name="labels">per candidate sample, its class; samples of <paramref name="classId"/> are skipped</param>
    public static FailureDetectionResult Detect(int classId, ClassRelevanceProfile profile, IReadOnlyList<float[]> relevance,
        ReadOnlySpan<double> scores, IReadOnlyList<int> labels, FailureDetectionOptions? options = null)
    {
        options ??= FailureDetectionOptions.Default;
        if (scores.Length != relevance.Count || labels.Count != relevance.Count)
            throw new ArgumentException($"{relevance.Count} relevance vectors, {scores.Length} scores, {labels.Count} labels");
        if (profile.Scores.Count < 2) throw new ArgumentException("the class profile needs at least two samples for a standard deviation");

        double threshold = profile.ScoreThreshold(options.ScoreMargin);
        var high = new List<HighConfidenceSample>();
        var hits = new Dictionary<int, List<(int Sample, double Z)>>();
        for (int s = 0; s < relevance.Count; s++)
        {
            if (labels[s] == classId || !(scores[s] > threshold)) continue;
            high.Add(new HighConfidenceSample(s, scores[s]));
            var r = relevance[s];
            if (r.Length != profile.LatentCount) throw new ArgumentException($"sample {s} has relevance of {r.Length} latents, profile {profile.LatentCount}");
            for (int j = 0; j < r.Length; j++)
            {
                if (r[j] == 0) continue;
                double z = profile.Latents[j].ZScore(r[j]);
                if (!(z > options.ZThreshold)) continue;
                if (!hits.TryGetValue(j, out var list)) hits[j] = list = [];
                list.Add((s, z));
            }
        }

        var flagged = hits
            .Where(h => h.Value.Count >= options.MinActiveSamples)
            .OrderByDescending(h => h.Value.Count).ThenBy(h => h.Key)
            .Select(h =>
            {
                var m = profile.Latents[h.Key];
                return new FlaggedLatent(h.Key, h.Value.Select(v => v.Sample).ToArray(), h.Value.Select(v => v.Z).ToArray(),
                    m.Mean, m.StandardDeviation, m.NonzeroCount);
            })
            .ToArray();
        return new FailureDetectionResult(classId, threshold, high.ToArray(), flagged);
    }
}
