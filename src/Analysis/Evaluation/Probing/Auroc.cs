namespace Actors.Analysis.Evaluation.Probing;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive scores above a
/// random negative, ties counting one half. Computed from mid-ranks of the pooled scores in O(n log n).
/// </summary>
public static class Auroc
{
    /// <summary>AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋), R₊ the sum of the positives' mid-ranks (1-based) in the pooled sample.</summary>
    public static double Compute(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.IsEmpty || negatives.IsEmpty)
            throw new ArgumentException($"AUROC needs positives and negatives, got {positives.Length} and {negatives.Length}");
        int n = positives.Length + negatives.Length;
        var pooled = new (double Score, bool Positive)[n];
        for (int i = 0; i < positives.Length; i++) pooled[i] = (Check(positives[i]), true);
        for (int i = 0; i < negatives.Length; i++) pooled[positives.Length + i] = (Check(negatives[i]), false);
        Array.Sort(pooled, (a, b) => a.Score.CompareTo(b.Score));

        double positiveRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && pooled[end + 1].Score == pooled[start].Score) end++;
            double midRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) if (pooled[i].Positive) positiveRankSum += midRank;
            start = end + 1;
        }
        double np = positives.Length, nn = negatives.Length;
        return (positiveRankSum - np * (np + 1) / 2) / (np * nn);
    }

    private static double Check(double score) =>
        double.IsNaN(score) ? throw new ArgumentException("AUROC of a NaN score") : score;
}
