using Actors.Cluster;
using Actors.Grains.Concepts;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Orleans;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// The sketches of consecutive batches of one corpus, merged on the host per touched latent, per class label and
/// in the batch totals, then delivered as one unit: the totals to the SAE grain first (so frequencies never exceed
/// 1), one call per touched latent, the latents' summaries to the latent index (one call per partition), then class
/// activations to the concept grains "{vocabulary}/{label}" (when the ingestion names a vocabulary). Every grain
/// stores what it is given before it answers, so a delivered group is durable. A grain
/// call costs far more than a merge, so a latent touched in every batch of a checkpoint interval costs one call
/// instead of one per batch (and across processes, one message instead of many). Every delivery names its batch
/// range, which the grains' ledgers accept whole or not at all, so re-sending a group after a crash is harmless, and
/// so is retrying a call that failed in transit (<see cref="GrainRetry"/>). Not thread-safe.
/// </summary>
public sealed class DeliveryGroup(string saeId, string corpusId, string? vocabulary)
{
    /// <summary>
    /// Latent calls of one delivery in flight at once. Each stores its latent before it answers, so with every touched
    /// latent called at once (28,672 in ingest-wide) all their serialized states waited in storage's queue together and
    /// outlived the young generation (grain-merge --no-cluster --latents 28672: 27.3k calls/s against 29.9k with 1,024).
    /// With 1,024, a core stood idle while the calls all waited on storage's commit of their writes (10–18 % of a
    /// delivery, perf): ingest-wide, 9 interleaved rounds, the first corpus's last delivery took 2.35 s (median) with
    /// 4,096 against 2.64 s with 1,024, and 8,192 was no faster; grain-merge is the same with either.
    /// </summary>
    const int MergesInFlight = 4096;

    readonly Dictionary<int, LatentSketch> latents = [];
    readonly Dictionary<string, ClassActivations> classes = new(StringComparer.Ordinal);
    IngestTotals totals = new();
    long first = -1;

    public int BatchCount { get; private set; }
    /// <summary>Per-batch latent deltas folded in since the group started (a latent touched in 3 batches counts 3).</summary>
    public long BatchDeltas { get; private set; }
    /// <summary>Latents with an accumulator in the group (those whose activations were all zero included).</summary>
    public int TouchedLatents => latents.Count;
    /// <summary>The batch id that may extend the group; any other starts a new one.</summary>
    public long NextBatchId => BatchCount == 0 ? -1 : first + BatchCount;

    /// <summary>
    /// Sketches the next batch (its id must be <see cref="NextBatchId"/> unless the group is empty) straight into
    /// the group's accumulators, one per touched latent: what ingestion does, so a batch allocates nothing per latent
    /// that is already in the group.
    /// </summary>
    public void Add(long batchId, SaeBatch batch, BatchSketcher sketcher)
    {
        Next(batchId);
        var (batchClasses, batchTotals) = sketcher.SketchInto(batch, latent =>
        {
            BatchDeltas++;
            if (!latents.TryGetValue(latent, out var sketch)) latents[latent] = sketch = sketcher.NewSketch();
            return sketch;
        }, classActivations: vocabulary is not null);   // delivered to the vocabulary's concept grains only
        Fold(batchTotals, batchClasses);
    }

    /// <summary>Adds the next batch's own per-latent deltas, merged into the accumulators (the sketcher hands each delta over for good).</summary>
    public void Add(long batchId, SketchedBatch batch)
    {
        Next(batchId);
        Fold(batch.Totals, batch.Classes);
        foreach (var partition in batch.Partitions)
            foreach (var entry in partition.Deltas)
            {
                BatchDeltas++;
                // The first delta of a latent becomes its accumulator.
                if (latents.TryGetValue(entry.LatentIndex, out var sketch)) sketch.MergeFrom(entry.Delta.Sketch);
                else latents[entry.LatentIndex] = entry.Delta.Sketch;
            }
    }

    void Next(long batchId)
    {
        if (BatchCount > 0 && batchId != NextBatchId)
            throw new ArgumentException($"batch {batchId} does not follow batch {NextBatchId - 1}: a delivery covers consecutive batches", nameof(batchId));
        if (BatchCount == 0) first = batchId;
        BatchCount++;
    }

    void Fold(IngestTotals batchTotals, Dictionary<string, ClassActivations> batchClasses)
    {
        totals.MergeFrom(batchTotals);
        foreach (var (label, activations) in batchClasses)
            if (classes.TryGetValue(label, out var acc)) acc.MergeFrom(activations); else classes[label] = activations;
    }

    /// <summary>Delivers the group and empties it.</summary>
    public async Task DeliverAsync(LatentGrainReferences references, long durableThrough, CancellationToken ct = default)
    {
        if (BatchCount == 0) return;
        var grains = references.Factory;
        long firstBatch = first;
        int count = BatchCount;
        var groupTotals = totals;
        await GrainRetry.CallAsync(() => grains.GetGrain<ISaeGrain>(saeId).MergeTotalsAsync(corpusId, firstBatch, count, durableThrough, groupTotals), ct);
        // A latent whose activations in these batches were all zero (a top-k SAE's k can include zeros) has nothing to deliver.
        var touched = latents.Where(l => l.Value.Firing.FiringTokens > 0).ToArray();
        var merged = new LatentMerge[touched.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, touched.Length),
            new ParallelOptions { MaxDegreeOfParallelism = MergesInFlight, CancellationToken = ct }, async (i, token) =>
            {
                var (index, sketch) = touched[i];
                var latent = references.Of(saeId, index);
                var delta = new LatentDelta(corpusId, firstBatch, durableThrough, sketch, count);
                merged[i] = await GrainRetry.CallAsync(() => latent.MergeAsync(delta), token);
            });
        // The latents' new summaries, one stored bulk upsert per index partition.
        await Task.WhenAll(merged.Select(m => m.Summary).GroupBy(s => s.Latent % ILatentIndexGrain.Partitions).Select(p =>
            GrainRetry.CallAsync(() => grains.GetGrain<ILatentIndexGrain>($"{saeId}/{p.Key}").UpsertManyAsync([.. p]), ct)));
        if (vocabulary is not null)
            foreach (var (label, activations) in classes)
                await GrainRetry.CallAsync(() => grains.GetGrain<IConceptGrain>($"{vocabulary}/{label}")
                    .MergeClassActivationsAsync(saeId, corpusId, firstBatch, count, activations), ct);
        latents.Clear();
        classes.Clear();
        totals = new IngestTotals();
        BatchCount = 0;
        BatchDeltas = 0;
    }
}
