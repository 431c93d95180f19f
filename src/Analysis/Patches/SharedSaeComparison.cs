namespace Actors.Analysis.Patches;

/// <summary>
/// Seed 002 Sec. 4.2: one SAE shared by the zero-shot backbone (CLIP) and the adapted one (MaPLe) puts both in one
/// latent space, and the group-level activations a_c[s] (Eq. 5) of the two are compared. Fig. 17 sets "upper and
/// lower bounds using union top-50 and top-100"; read here per backbone X as value thresholds
///   upper_X = the 50th largest a_X, lower_X = the 100th largest a_X,
///   high on X: a_X[s] > 0 and a_X[s] ≥ upper_X;   low on X: a_X[s] = 0 or a_X[s] &lt; lower_X,
/// so the candidates are the union of the two top-50 sets, ties at a bound all count, and a latent never active is
/// low even when fewer than 100 latents are active. Then High = high on both, HighToLow = high before and low after,
/// LowToHigh = low before and high after; latents between the bounds on either side are in no group.
/// </summary>
public static class SharedSaeComparison
{
    public const int UpperRank = 50, LowerRank = 100;

    public static AdaptationGroups Classify(ReadOnlySpan<long> before, ReadOnlySpan<long> after, int upperRank = UpperRank, int lowerRank = LowerRank)
    {
        if (before.Length != after.Length) throw new ArgumentException($"{before.Length} latents before, {after.Length} after");
        if (before.IsEmpty) throw new ArgumentException("no latents");
        if (upperRank < 1 || lowerRank < upperRank) throw new ArgumentException($"ranks must satisfy 1 ≤ upper ({upperRank}) ≤ lower ({lowerRank})");
        var (upperBefore, lowerBefore) = NthLargest(before, upperRank, lowerRank);
        var (upperAfter, lowerAfter) = NthLargest(after, upperRank, lowerRank);
        List<int> high = [], highToLow = [], lowToHigh = [];
        for (int s = 0; s < before.Length; s++)
        {
            bool highBefore = before[s] > 0 && before[s] >= upperBefore, lowBefore = before[s] == 0 || before[s] < lowerBefore;
            bool highAfter = after[s] > 0 && after[s] >= upperAfter, lowAfter = after[s] == 0 || after[s] < lowerAfter;
            if (highBefore && highAfter) high.Add(s);
            else if (highBefore && lowAfter) highToLow.Add(s);
            else if (lowBefore && highAfter) lowToHigh.Add(s);
        }
        return new AdaptationGroups(high.ToArray(), highToLow.ToArray(), lowToHigh.ToArray());
    }

    /// <summary>Groups for every class of two class-level tables computed with the same SAE on the two backbones.</summary>
    public static AdaptationGroups[] PerClass(ClassLevelActivations before, ClassLevelActivations after, int upperRank = UpperRank, int lowerRank = LowerRank)
    {
        if (before.ClassCount != after.ClassCount || before.LatentCount != after.LatentCount)
            throw new ArgumentException($"tables of ({before.ClassCount}, {before.LatentCount}) and ({after.ClassCount}, {after.LatentCount})");
        var groups = new AdaptationGroups[before.ClassCount];
        for (int c = 0; c < groups.Length; c++) groups[c] = Classify(before.ForClass(c), after.ForClass(c), upperRank, lowerRank);
        return groups;
    }

    public static AdaptationGroupCounts MeanCounts(IReadOnlyList<AdaptationGroups> perClass)
    {
        if (perClass.Count == 0) throw new ArgumentException("no classes");
        return new AdaptationGroupCounts(
            perClass.Average(g => g.High.Length), perClass.Average(g => g.HighToLow.Length), perClass.Average(g => g.LowToHigh.Length));
    }

    /// <summary>The n-th and m-th largest values (1-based), each the smallest when there are fewer values; one sort.</summary>
    private static (long N, long M) NthLargest(ReadOnlySpan<long> values, int n, int m)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return (sorted[Math.Max(sorted.Length - n, 0)], sorted[Math.Max(sorted.Length - m, 0)]);
    }
}
