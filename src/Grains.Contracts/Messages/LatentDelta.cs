using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Messages;

/// <summary>
/// One batch's sketch of one latent. <paramref name="DurableThrough"/> is the corpus's ingestion checkpoint when
/// the batch was sent (every batch id ≤ it is persisted in all grains and will never be re-sent; −1 if none),
/// which lets the grain's <see cref="BatchLedger"/> forget individual ids.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentDelta")]
public sealed record LatentDelta([property: Id(0)] string CorpusId, [property: Id(1)] long BatchId, [property: Id(2)] long DurableThrough, [property: Id(3)] LatentSketch Sketch);
