using Orleans;

namespace Actors.Grains.Latents;

/// <summary>
/// One partition of an SAE's latent index, key "{sae}/{partition}" (latent mod <see cref="Partitions"/>): the
/// latest <see cref="LatentSummary"/> of each latent, so a listing never activates tens of thousands of latents.
/// </summary>
[Alias("actors.ILatentIndexGrain")]
public interface ILatentIndexGrain : IGrainWithStringKey
{
    const int Partitions = 16;
    static string KeyOf(string saeId, int latent) => $"{saeId}/{latent % Partitions}";

    /// <summary>Summaries of a delivery's latents, stored before the call returns (ingestion's checkpoints).</summary>
    Task UpsertManyAsync(LatentSummary[] summaries);
    /// <summary>One latent's new summary (e.g. after a label change), stored within seconds (write-behind).</summary>
    Task UpsertAsync(LatentSummary summary);
    Task<LatentSummary[]> ListAsync();
}
