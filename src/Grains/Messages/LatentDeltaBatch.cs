using Actors.Grains.Sketches;

namespace Actors.Grains.Messages;

/// <summary>One touched latent's delta inside a <see cref="LatentDeltaBatch"/>.</summary>
public sealed record LatentDeltaEntry(int LatentIndex, LatentDelta Delta);

/// <summary>
/// What ingestion sends: one message per (batch, partition of latents) of one SAE, so that each grain sees one
/// merge per batch. <paramref name="Totals"/> (tokens, images, images per class of the whole batch) is repeated in
/// every partition's message; its receiver dedups it by batch id like everything else.
/// </summary>
public sealed record LatentDeltaBatch(
    string SaeId, string CorpusId, long BatchId, long DurableThrough, int Partition, int PartitionCount,
    IngestTotals Totals, LatentDeltaEntry[] Deltas);
