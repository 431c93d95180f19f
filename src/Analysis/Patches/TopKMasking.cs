using Actors.Tensors;

namespace Actors.Analysis.Patches;

/// <summary>
/// Seed 002 Sec. 4.1 top-k SAE latent masking: choose k latents per class, mask them on or off, and measure
/// zero-shot accuracy for each k. Each class's images are classified under the mask chosen for that class.
/// </summary>
public static class TopKMasking
{
    /// <summary>
    /// The k values of the authors' released masking script (1, 2, 5, 10, 50, 100, 500, 1000, 2000, then all
    /// latents), those below the latent count followed by the latent count itself.
    /// </summary>
    public static int[] DefaultKs(int latentCount) =>
        new[] { 1, 2, 5, 10, 50, 100, 500, 1000, 2000 }.Where(k => k < latentCount).Append(latentCount).ToArray();

    /// <summary>The k latents of largest activation, descending; ties: lower latent index first.</summary>
    public static int[] TopLatents(ReadOnlySpan<long> activation, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var values = activation.ToArray();
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(order, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        return order[..Math.Min(k, order.Length)];
    }

    /// <summary>
    /// The k latents a selection picks for one class. RandomK draws from SplitMix64(Derive(seed, class)) by a partial
    /// Fisher–Yates shuffle, so its picks for a smaller k are the first ones of its picks for a larger k.
    /// </summary>
    public static int[] Select(LatentSelection selection, ClassLevelActivations activations, int classId, int k, ulong seed = 0) => selection switch
    {
        LatentSelection.ClassTopK => TopLatents(activations.ForClass(classId), k),
        LatentSelection.DatasetTopK => TopLatents(activations.DatasetLevel(), k),
        LatentSelection.RandomK => RandomLatents(activations.LatentCount, k, SplitMix64.Derive(seed, (ulong)classId)),
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, null),
    };

    /// <summary>
    /// Accuracy per k for one selection and mode, over every class of <paramref name="activations"/>. Each class's
    /// latents are ranked once, for the largest k; every k masks a prefix of that ranking.
    /// </summary>
    public static MaskingCurve Run(ClassLevelActivations activations, LatentSelection selection, MaskMode mode,
        IReadOnlyList<int> ks, MaskedClassEvaluator evaluator, ulong seed = 0)
    {
        if (ks.Count == 0) throw new ArgumentException("no k to evaluate");
        if (ks.Any(k => k < 0)) throw new ArgumentOutOfRangeException(nameof(ks), "k must not be negative");
        int maxK = ks.Max();
        var correct = new long[ks.Count]; var total = new long[ks.Count];
        var classAccuracySum = new double[ks.Count]; var classes = new int[ks.Count];
        // Dataset-level ranks are the same for every class: rank once.
        int[]? shared = selection == LatentSelection.DatasetTopK ? TopLatents(activations.DatasetLevel(), maxK) : null;
        for (int c = 0; c < activations.ClassCount; c++)
        {
            var ranked = shared ?? Select(selection, activations, c, maxK, seed);
            for (int p = 0; p < ks.Count; p++)
            {
                var selected = ranked.AsSpan(0, Math.Min(ks[p], ranked.Length));
                var result = evaluator(c, LatentMask.For(selected, activations.LatentCount, mode));
                if (result.Correct < 0 || result.Correct > result.Total) throw new InvalidOperationException($"class {c}: {result.Correct} correct of {result.Total}");
                if (result.Total == 0) continue;
                correct[p] += result.Correct; total[p] += result.Total;
                classAccuracySum[p] += (double)result.Correct / result.Total; classes[p]++;
            }
        }
        var points = new MaskingPoint[ks.Count];
        for (int p = 0; p < ks.Count; p++)
        {
            if (total[p] == 0) throw new InvalidOperationException("the evaluator classified no images");
            points[p] = new MaskingPoint(ks[p], (double)correct[p] / total[p], classAccuracySum[p] / classes[p]);
        }
        return new MaskingCurve(selection, mode, points);
    }

    /// <summary>k distinct latents uniformly at random: the first k places of a partial Fisher–Yates shuffle.</summary>
    private static int[] RandomLatents(int latentCount, int k, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        k = Math.Min(k, latentCount);
        var rng = new SplitMix64(seed);
        var all = Enumerable.Range(0, latentCount).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = i + rng.NextInt(latentCount - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }
}
