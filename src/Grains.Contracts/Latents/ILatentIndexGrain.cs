using Orleans;

namespace Actors.Grains.Latents;

/// <summary>
/// One partition of an SAE's latent index, key "{sae}/{partition}" (latent mod <see cref="Partitions"/>):
/// the latest <see cref="LatentSummary"/> of each latent, pushed by the latent grain whenever it persists.
/// </summary>
[Alias("actors.ILatentIndexGrain")]
public interface ILatentIndexGrain : IGrainWithStringKey
{
    const int Partitions = 16;
    static string KeyOf(string saeId, int latent) => $"{saeId}/{latent % Partitions}";

    Task UpsertAsync(LatentSummary summary);
    /// <summary>Persists the partition; ingestion calls it at each checkpoint, after flushing the latents.</summary>
    Task FlushAsync();
    Task<LatentSummary[]> ListAsync();
}
