using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Tensors;
using Orleans;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>
/// The images a retraining reads: its corpora's items, corpus by corpus in the order ingestion lists them
/// (<see cref="CorpusReader"/>), split by a seeded permutation into images held out for evaluation and images
/// trained on — the same split on every attempt of the job.
/// </summary>
public sealed record RetrainingImages(IReadOnlyList<CorpusItem> Training, IReadOnlyList<CorpusItem> HeldOut)
{
    /// <summary>The items of the registered corpora, in the given order.</summary>
    public static async Task<IReadOnlyList<CorpusItem>> ListAsync(IGrainFactory grains, IEnumerable<string> corpusIds)
    {
        var items = new List<CorpusItem>();
        foreach (var id in corpusIds)
        {
            var source = (await grains.GetGrain<ICorpusGrain>(id).GetAsync()).Source
                ?? throw new KeyNotFoundException($"corpus '{id}' is not registered");
            items.AddRange(CorpusReader.Read(source));
        }
        return items;
    }

    /// <summary>Holds out min(<paramref name="heldOutMax"/>, a fifth) of the items, chosen by a permutation seeded
    /// from <paramref name="seed"/>; both parts keep the corpora's order.</summary>
    public static RetrainingImages Split(IReadOnlyList<CorpusItem> items, int heldOutMax, int seed)
    {
        int held = Math.Min(Math.Max(0, heldOutMax), items.Count / 5);
        var order = Enumerable.Range(0, items.Count).ToArray();
        new SplitMix64(SplitMix64.Derive((ulong)seed, 0x4845_4C44)).Shuffle(order);   // label "HELD"
        var heldOut = order[..held].ToHashSet();
        return new RetrainingImages(
            [.. Enumerable.Range(0, items.Count).Where(i => !heldOut.Contains(i)).Select(i => items[i])],
            [.. Enumerable.Range(0, items.Count).Where(heldOut.Contains).Select(i => items[i])]);
    }

    /// <summary>At most <paramref name="count"/> items spread evenly over the list (all of them when fewer).</summary>
    public static IReadOnlyList<CorpusItem> Spread(IReadOnlyList<CorpusItem> items, int count) =>
        items.Count <= count ? items : [.. Enumerable.Range(0, count).Select(i => items[(int)((long)i * items.Count / count)])];
}
