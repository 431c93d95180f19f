using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Messages;

/// <summary>
/// One latent's sketch over the consecutive batches <paramref name="BatchId"/> .. BatchId + <paramref name="BatchCount"/> − 1
/// of a corpus (the host merges a checkpoint interval's batches into one delta per touched latent, so a grain gets
/// one call per interval instead of one per batch). The batches are one unit: a ledger holds all of them or none.
/// <paramref name="DurableThrough"/> is the corpus's ingestion checkpoint when the delta was sent (every batch id ≤ it
/// is persisted in all grains and will never be re-sent; −1 if none), which lets the grain's <see cref="BatchLedger"/>
/// forget individual ids.
/// The sender hands <paramref name="Sketch"/> over: within a silo the grain receives this object, and a latent that
/// has merged nothing yet keeps it as its own sketch and merges later deltas into it, so the sender must not change
/// or reuse it after the call (resending the same delta after a failed call is fine: the ledger refuses it or it is
/// the first merge of a fresh activation).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentDelta")]
public sealed record LatentDelta([property: Id(0)] string CorpusId, [property: Id(1)] long BatchId, [property: Id(2)] long DurableThrough, [property: Id(3)] LatentSketch Sketch,
    [property: Id(4)] int BatchCount = 1);
