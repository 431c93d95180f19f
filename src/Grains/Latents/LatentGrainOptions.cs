namespace Actors.Grains.Latents;

/// <summary>
/// How a latent grain persists merges. Null <see cref="WriteBehind"/> writes after every merge (write-through);
/// a period marks the state dirty and writes on a timer, on <see cref="ILatentGrain.FlushAsync"/> and on
/// deactivation.
/// </summary>
public sealed record LatentGrainOptions(TimeSpan? WriteBehind)
{
    /// <summary>Write-behind every 5 s: ingestion sends one merge per touched latent per batch, far more than a store can write one by one.</summary>
    public static readonly LatentGrainOptions Default = new(TimeSpan.FromSeconds(5));
    public static readonly LatentGrainOptions WriteThrough = new((TimeSpan?)null);
}
