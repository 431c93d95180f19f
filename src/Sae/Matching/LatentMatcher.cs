using Actors.Sae.Architectures;

namespace Actors.Sae.Matching;

/// <summary>
/// Stable latent identity across SAE versions: a one-to-one assignment of the new version's latents to the old
/// version's maximising the total pair score, where a pair's score is its decoder cosine, or, given both versions'
/// firing over the same images, (1 − w)·cos + w·Jaccard (<see cref="LatentMatchOptions"/>). Only pairs scoring at
/// least the threshold may be matched: scores below it count as 0, the value of leaving both latents unmatched, so
/// the optimum never trades a good pair for a bad one. Up to <see cref="LatentMatchOptions.ExactMaxLatents"/> the
/// assignment is exact (<see cref="LinearAssignment"/>); above, greedy over each new latent's top candidates by
/// cosine (<see cref="GreedyAssignment"/>).
/// </summary>
public static class LatentMatcher
{
    public static LatentMatching Match(SparseAutoencoder newer, SparseAutoencoder older, LatentMatchOptions? options = null,
        LatentFiring? newerFiring = null, LatentFiring? olderFiring = null)
    {
        options ??= new LatentMatchOptions();
        options.Validate();
        if ((newerFiring is null) != (olderFiring is null)) throw new ArgumentException("co-activation needs the firing of both versions");
        if (newerFiring is not null && (newerFiring.Latents != newer.DSae || olderFiring!.Latents != older.DSae || newerFiring.Images != olderFiring.Images))
            throw new ArgumentException("firing sets must cover each SAE's latents over the same images");
        int n = newer.DSae, m = older.DSae;
        double w = options.CoActivationWeight;
        (double Score, double? Jaccard) Score(int i, int j, float cosine)
        {
            var jaccard = newerFiring?.Jaccard(i, olderFiring!, j);
            return (jaccard is { } jv ? (1 - w) * cosine + w * jv : cosine, jaccard);
        }

        int[] assigned; string method;
        Func<int, int, float> cosineOf;
        if (Math.Max(n, m) <= options.ExactMaxLatents)
        {
            var cos = DecoderSimilarity.Dense(newer, older);
            var scores = new double[(long)n * m];
            Parallel.For(0, n, i =>
            {
                for (int j = 0; j < m; j++)
                {
                    double s = Score(i, j, cos[i * m + j]).Score;
                    scores[i * m + j] = s >= options.Threshold ? s : 0;
                }
            });
            assigned = LinearAssignment.Maximise(scores, n, m);
            cosineOf = (i, j) => cos[i * m + j];
            method = "hungarian";
        }
        else
        {
            var (idx, cos) = DecoderSimilarity.TopCandidates(newer, older, options.Candidates);
            int c = idx.Length / Math.Max(n, 1);
            var pairs = new CandidatePair[idx.Length];
            Parallel.For(0, n, i =>
            {
                for (int k = 0; k < c; k++) pairs[i * c + k] = new CandidatePair(i, idx[i * c + k], Score(i, idx[i * c + k], cos[i * c + k]).Score);
            });
            assigned = GreedyAssignment.Maximise(pairs, n, m, options.Threshold);
            var lookup = new Dictionary<(int, int), float>(idx.Length);
            for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) lookup[(i, idx[i * c + k])] = cos[i * c + k];
            cosineOf = (i, j) => lookup[(i, j)];
            method = $"greedy-top{c}";
        }

        var matches = new List<LatentMatch>();
        var oldTaken = new bool[m];
        for (int i = 0; i < n; i++)
        {
            if (assigned[i] < 0) continue;
            float cosine = cosineOf(i, assigned[i]);
            var (score, jaccard) = Score(i, assigned[i], cosine);
            if (score < options.Threshold) continue;   // the assignment's filler pairs (score counted as 0)
            matches.Add(new LatentMatch(i, assigned[i], score, cosine, jaccard));
            oldTaken[assigned[i]] = true;
        }
        var matchedNew = matches.Select(x => x.NewLatent).ToHashSet();
        return new LatentMatching(method, options.Threshold, newerFiring?.Images ?? 0, [.. matches],
            [.. Enumerable.Range(0, n).Where(i => !matchedNew.Contains(i))], [.. Enumerable.Range(0, m).Where(j => !oldTaken[j])]);
    }
}
