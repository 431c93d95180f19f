using Actors.Grains.Sketches;

namespace Actors.Grains.Messages;

/// <summary>
/// One batch's sketch of one latent. <paramref name="DurableThrough"/> is the corpus's ingestion checkpoint when
/// the batch was sent (every batch id ≤ it is persisted in all grains and will never be re-sent; −1 if none),
/// which lets the grain's <see cref="BatchLedger"/> forget individual ids.
/// </summary>
public sealed record LatentDelta(string CorpusId, long BatchId, long DurableThrough, LatentSketch Sketch);
