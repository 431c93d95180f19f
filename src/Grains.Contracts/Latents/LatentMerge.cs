using Orleans;

namespace Actors.Grains.Latents;

/// <summary>
/// What a delivery to a latent came to: whether its batches were new (false: merged before, nothing changed) and
/// the latent's summary after it, which the caller hands to the latent index in bulk.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentMerge")]
public sealed record LatentMerge([property: Id(0)] bool Applied, [property: Id(1)] LatentSummary Summary);
