using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Messages;

/// <summary>One touched latent's delta inside a <see cref="LatentDeltaBatch"/>.</summary>
[GenerateSerializer, Immutable, Alias("actors.LatentDeltaEntry")]
public sealed record LatentDeltaEntry([property: Id(0)] int LatentIndex, [property: Id(1)] LatentDelta Delta);

/// <summary>
/// What ingestion sends: one message per (batch, partition of latents) of one SAE, so that each grain sees one
/// merge per batch. <paramref name="Totals"/> (tokens, images, images per class of the whole batch) is repeated in
/// every partition's message; its receiver dedups it by batch id like everything else.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentDeltaBatch")]
public sealed record LatentDeltaBatch(
    [property: Id(0)] string SaeId, [property: Id(1)] string CorpusId, [property: Id(2)] long BatchId, [property: Id(3)] long DurableThrough, [property: Id(4)] int Partition, [property: Id(5)] int PartitionCount,
    [property: Id(6)] IngestTotals Totals, [property: Id(7)] LatentDeltaEntry[] Deltas);
