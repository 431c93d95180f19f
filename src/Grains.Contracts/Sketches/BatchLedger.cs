using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// Which ingestion batches have been applied, per corpus, so that merging is idempotent: a re-delivered batch
/// changes nothing. Compact: per corpus a watermark W (every batch id ≤ W counts as applied) plus the sorted ids
/// above it. The watermark advances over contiguous ids, and jumps to the corpus's durable checkpoint when a
/// message carries one: batches at or below the ingestion checkpoint are never sent again (ingestion resumes
/// after it), so remembering them individually is unnecessary. Batch ids are ≥ 0 within a corpus.
/// </summary>
[GenerateSerializer, Alias("actors.BatchLedger")]
public sealed class BatchLedger
{
    [Id(0)] public Dictionary<string, CorpusLedger> Corpora { get; init; } = new(StringComparer.Ordinal);

    // The corpus of the previous call and its ledger: a grain's deltas come from one corpus at a time, so the
    // hot path skips the dictionary (a string hash and two more cache lines). Fields are not serialized. The
    // key is re-checked on every call; this class only ever adds entries, so the cached one is the dictionary's
    // (code that replaces an entry of Corpora from outside must use a fresh ledger, as Clone and deserialization do).
    [NonSerialized] string? lastCorpus;
    [NonSerialized] CorpusLedger? lastLedger;

    public bool Contains(string corpusId, long batchId) =>
        Corpora.TryGetValue(corpusId, out var l) && l.Contains(batchId);

    /// <summary>Records a batch; false (and no change) if it was applied before.</summary>
    public bool TryAdd(string corpusId, long batchId, long durableThrough = -1)
    {
        if (batchId < 0) throw new ArgumentOutOfRangeException(nameof(batchId), batchId, "batch ids are non-negative");
        var l = LedgerOf(corpusId);
        // In-order delivery (the normal case): the next id after the watermark with nothing above it, O(1).
        if (batchId == l.Watermark + 1 && l.Above.Count == 0)
        {
            l.Watermark = batchId;
            if (durableThrough > batchId) l.AdvanceTo(durableThrough);
            return true;
        }
        if (l.Contains(batchId)) return false;
        l.Add(batchId);
        l.AdvanceTo(durableThrough);
        return true;
    }

    /// <summary>
    /// Records the batches <paramref name="firstBatchId"/> .. + <paramref name="count"/> − 1 as one unit: all new, they
    /// are added (true); all present, nothing changes (false). Some present and some not means a delivery overlapped
    /// another's batches only in part, which no merge can undo: that is refused with the ids named.
    /// </summary>
    public bool TryAddRange(string corpusId, long firstBatchId, int count, long durableThrough = -1)
    {
        if (count == 1) return TryAdd(corpusId, firstBatchId, durableThrough);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "a batch range holds at least one batch");
        if (firstBatchId < 0) throw new ArgumentOutOfRangeException(nameof(firstBatchId), firstBatchId, "batch ids are non-negative");
        var l = LedgerOf(corpusId);
        int present = 0;
        for (long id = firstBatchId; id < firstBatchId + count; id++) if (l.Contains(id)) present++;
        if (present == count) return false;
        if (present > 0)
            throw new InvalidOperationException($"corpus '{corpusId}': batches {firstBatchId}..{firstBatchId + count - 1} were merged " +
                $"before in part ({present} of {count}); deliveries must cover the same batch ranges when re-sent");
        for (long id = firstBatchId; id < firstBatchId + count; id++) l.Add(id);
        l.AdvanceTo(durableThrough);
        return true;
    }

    CorpusLedger LedgerOf(string corpusId)
    {
        if (lastLedger is not null && string.Equals(lastCorpus, corpusId, StringComparison.Ordinal)) return lastLedger;
        ref var l = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Corpora, corpusId, out _);
        l ??= new CorpusLedger();
        lastCorpus = corpusId;
        return lastLedger = l;
    }

    public long AppliedCount(string corpusId) => Corpora.TryGetValue(corpusId, out var l) ? l.Above.Count + l.Watermark + 1 : 0;

    public BatchLedger Clone() =>
        new() { Corpora = Corpora.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal) };
}

/// <summary>One corpus's applied batch ids: all ids ≤ <see cref="Watermark"/>, and <see cref="Above"/> (sorted).</summary>
[GenerateSerializer, Alias("actors.CorpusLedger")]
public sealed class CorpusLedger
{
    [Id(0)] public long Watermark { get; set; } = -1;
    [Id(1)] public List<long> Above { get; init; } = [];

    public bool Contains(long id) => id <= Watermark || (Above.Count > 0 && Above.BinarySearch(id) >= 0);

    public void Add(long id)
    {
        if (id <= Watermark) return;
        if (id == Watermark + 1) { Watermark = id; Absorb(); return; }
        // Ascending ids past a gap append at the end: O(1) instead of a search and an insert.
        if (Above.Count == 0 || id > Above[^1]) { Above.Add(id); return; }
        int at = Above.BinarySearch(id);
        if (at < 0) Above.Insert(~at, id);
    }

    /// <summary>Everything through <paramref name="checkpoint"/> is durable everywhere and will not be re-sent.</summary>
    public void AdvanceTo(long checkpoint)
    {
        if (checkpoint <= Watermark) return;
        Watermark = checkpoint;
        int drop = 0;
        while (drop < Above.Count && Above[drop] <= Watermark) drop++;
        Above.RemoveRange(0, drop);
        Absorb();
    }

    void Absorb()
    {
        int drop = 0;
        while (drop < Above.Count && Above[drop] == Watermark + 1) { Watermark++; drop++; }
        if (drop > 0) Above.RemoveRange(0, drop);
    }

    public CorpusLedger Clone() => new() { Watermark = Watermark, Above = [.. Above] };
}
