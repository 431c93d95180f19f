namespace Actors.World.Training;

/// <summary>
/// The figures world-eval reports. Predictions are class indices from zero-shot classification
/// (Radford et al. 2021, Sec. 3.1.2: argmax of cosine similarity to the class prompts' embeddings).
/// </summary>
public static class ZeroShotMetrics
{
    /// <summary>Row-wise argmax of scores (n, classes).</summary>
    public static int[] ArgMax(ReadOnlySpan<float> scores, int n, int classes)
    {
        if (scores.Length != n * classes) throw new ArgumentException($"scores must be ({n},{classes}), found {scores.Length} values");
        var p = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            p[i] = best;
        }
        return p;
    }

    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        Same(predicted.Count, truth.Count);
        if (truth.Count == 0) throw new ArgumentException("accuracy of an empty set is undefined");
        int hits = 0;
        for (int i = 0; i < truth.Count; i++) if (predicted[i] == truth[i]) hits++;
        return hits / (double)truth.Count;
    }

    /// <summary>
    /// Worst-group accuracy (Sagawa et al. 2020; seed 001 Sec. 7.1): accuracy within each group (here a
    /// (class, background) pair), minimum over groups. Returns the minimum and every group's accuracy.
    /// </summary>
    public static (double Worst, IReadOnlyDictionary<T, double> PerGroup) WorstGroupAccuracy<T>(
        IReadOnlyList<int> predicted, IReadOnlyList<int> truth, IReadOnlyList<T> group) where T : notnull
    {
        Same(predicted.Count, truth.Count); Same(predicted.Count, group.Count);
        if (truth.Count == 0) throw new ArgumentException("worst-group accuracy of an empty set is undefined");
        var per = new Dictionary<T, (int Hits, int Count)>();
        for (int i = 0; i < truth.Count; i++)
        {
            per.TryGetValue(group[i], out var s);
            per[group[i]] = (s.Hits + (predicted[i] == truth[i] ? 1 : 0), s.Count + 1);
        }
        var acc = per.ToDictionary(kv => kv.Key, kv => kv.Value.Hits / (double)kv.Value.Count);
        return (acc.Values.Min(), acc);
    }

    /// <summary>
    /// Mean zero-shot margin per group: the true class's score minus the best other class's score (cosine units when
    /// the scores are cosine similarities). Accuracy only counts margins below zero; the margins show how much a
    /// group's evidence for the true class shrinks before any prediction flips, e.g. a duck on land against a duck
    /// on water (the spurious reliance of seed 001 Sec. 7.1, as a continuous quantity).
    /// </summary>
    public static IReadOnlyDictionary<T, double> MeanMarginByGroup<T>(ReadOnlySpan<float> scores, int n, int classes,
        IReadOnlyList<int> truth, IReadOnlyList<T> group) where T : notnull
    {
        if (scores.Length != n * classes) throw new ArgumentException($"scores must be ({n},{classes}), found {scores.Length} values");
        if (classes < 2) throw new ArgumentException("a margin needs at least two classes");
        Same(n, truth.Count); Same(n, group.Count);
        var sums = new Dictionary<T, (double Sum, int Count)>();
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * classes, classes);
            float other = float.NegativeInfinity;
            for (int c = 0; c < classes; c++) if (c != truth[i]) other = Math.Max(other, row[c]);
            sums.TryGetValue(group[i], out var s);
            sums[group[i]] = (s.Sum + (row[truth[i]] - other), s.Count + 1);
        }
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);
    }

    /// <summary>
    /// Typographic-attack flip rate (seed 001 Sec. 7.2): among images whose written word names a class other than
    /// the true one, the fraction predicted as the written class.
    /// </summary>
    public static double FlipFraction(IReadOnlyList<int> predicted, IReadOnlyList<int> truth, IReadOnlyList<int> written)
    {
        Same(predicted.Count, truth.Count); Same(predicted.Count, written.Count);
        int attacks = 0, flipped = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            if (written[i] == truth[i]) continue;
            attacks++;
            if (predicted[i] == written[i]) flipped++;
        }
        if (attacks == 0) throw new ArgumentException("no typographic attacks (written class ≠ true class) to measure");
        return flipped / (double)attacks;
    }

    static void Same(int a, int b)
    {
        if (a != b) throw new ArgumentException($"prediction and label lists differ in length: {a} vs {b}");
    }
}
