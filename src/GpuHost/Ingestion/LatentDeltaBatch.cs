using Actors.Grains.Messages;
using Actors.Grains.Sketches;

namespace Actors.GpuHost.Ingestion;

/// <summary>One touched latent's delta inside a <see cref="LatentDeltaBatch"/>.</summary>
public sealed record LatentDeltaEntry(int LatentIndex, LatentDelta Delta);

/// <summary>
/// One batch's deltas for one partition of an SAE's latents (latent mod the partition count), as the sketcher
/// produces them; <see cref="DeliveryGroup"/> merges them over a checkpoint interval before anything is sent.
/// </summary>
public sealed record LatentDeltaBatch(
    string SaeId, string CorpusId, long BatchId, long DurableThrough, int Partition, int PartitionCount,
    IngestTotals Totals, LatentDeltaEntry[] Deltas);
