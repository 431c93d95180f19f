using System.Numerics;
using Actors.Tensors;

namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// The order in which a faithfulness curve deletes or inserts latents: most relevant first (seed 000 Sec. 5.1).
/// Like the authors' top-k over all latents, inactive latents are not skipped: a method that ranks them high (Logit
/// Lens does) wastes steps on deletions that change nothing, which is part of what the curve measures.
/// </summary>
public static class LatentOrdering
{
    /// <summary>The <paramref name="count"/> latents of largest relevance, descending; ties: lower latent index first.</summary>
    public static int[] MostRelevant<T>(ReadOnlySpan<T> relevance, int count) where T : INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, relevance.Length);
        var order = new int[count];
        if (count == 0) return order;
        int filled = 0;
        for (int j = 0; j < relevance.Length; j++)
        {
            var r = relevance[j];
            if (T.IsNaN(r)) throw new ArgumentException($"relevance of latent {j} is NaN");
            // Insertion into the sorted prefix: count is small (10), so O(d·count) beats sorting d latents.
            if (filled == count && !(r > relevance[order[count - 1]])) continue;
            int at = filled < count ? filled++ : count - 1;
            while (at > 0 && r > relevance[order[at - 1]]) { order[at] = order[at - 1]; at--; }
            order[at] = j;
        }
        return order;
    }

    /// <summary>Local orders: each sample's own most relevant latents (local deletion and insertion).</summary>
    public static int[][] Local(IReadOnlyList<float[]> relevance, int count)
    {
        var orders = new int[relevance.Count][];
        for (int s = 0; s < orders.Length; s++) orders[s] = MostRelevant<float>(relevance[s], count);
        return orders;
    }

    /// <summary>Per-latent mean relevance over a reference set (seed 000 App. B.2 "global relevance scores").</summary>
    public static double[] MeanRelevance(IEnumerable<float[]> reference)
    {
        double[]? sum = null; long n = 0;
        foreach (var r in reference)
        {
            sum ??= new double[r.Length];
            if (r.Length != sum.Length) throw new ArgumentException($"relevance vectors of {sum.Length} and {r.Length} latents");
            for (int j = 0; j < r.Length; j++) sum[j] += r[j];
            n++;
        }
        if (sum is null) throw new ArgumentException("mean relevance of an empty reference set");
        for (int j = 0; j < sum.Length; j++) sum[j] /= n;
        return sum;
    }

    /// <summary>
    /// Global orders (seed 000 App. B.2 "Deletion (global)"): every sample gets the order of the mean relevance over
    /// the samples of its own class; samples of one class share one array.
    /// </summary>
    public static int[][] GlobalPerClass(IReadOnlyList<float[]> relevance, IReadOnlyList<int> classOf, int count)
    {
        if (classOf.Count != relevance.Count) throw new ArgumentException($"{relevance.Count} relevance vectors but {classOf.Count} labels");
        var samplesOf = Enumerable.Range(0, relevance.Count).ToLookup(s => classOf[s]);
        return PerClassReferences(c => samplesOf[c].Select(s => relevance[s]), classOf, count);   // each class's own samples as its references
    }

    /// <summary>
    /// Global orders from reference sets other than the class's samples (seed 000 App. B.2 "Deletion (random)": the
    /// relevance for class c's prompt over 500 random images). <paramref name="referenceRelevanceOf"/>(c) yields the
    /// relevance vectors of class c's references; it is read once per class present, and may compute them lazily.
    /// </summary>
    public static int[][] PerClassReferences(Func<int, IEnumerable<float[]>> referenceRelevanceOf, IReadOnlyList<int> classOf, int count)
    {
        var byClass = new Dictionary<int, int[]>();
        var orders = new int[classOf.Count][];
        for (int s = 0; s < orders.Length; s++)
        {
            if (!byClass.TryGetValue(classOf[s], out var order))
                byClass[classOf[s]] = order = MostRelevant<double>(MeanRelevance(referenceRelevanceOf(classOf[s])), count);
            orders[s] = order;
        }
        return orders;
    }

    /// <summary>
    /// The "random" baseline of seed 000 Sec. 5.1: a seeded random order of the sample's active latents
    /// (activation ≠ 0), at most <paramref name="count"/> of them.
    /// </summary>
    public static int[] RandomActive(ReadOnlySpan<float> activations, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var active = new List<int>();
        for (int j = 0; j < activations.Length; j++) if (activations[j] != 0) active.Add(j);
        new SplitMix64(seed).Shuffle(active);
        return active.Take(count).ToArray();
    }
}
