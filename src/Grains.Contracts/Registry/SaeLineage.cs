using Orleans;

namespace Actors.Grains.Registry;

/// <summary>
/// Where an SAE version came from: retrained from <paramref name="ParentSaeId"/> (version 1 is an SAE with no
/// lineage) by job <paramref name="JobId"/>. The latent mapping to the parent (new latent → old latent and match
/// score) is JSON in the blob store under <paramref name="MappingHash"/>, read by GET /api/saes/{id}/lineage;
/// <paramref name="Matched"/> of the new version's latents have a partner, by <paramref name="MatchMethod"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SaeLineage")]
public sealed record SaeLineage([property: Id(0)] string ParentSaeId, [property: Id(1)] int Version, [property: Id(2)] string? JobId,
    [property: Id(3)] string? MappingHash, [property: Id(4)] string? MatchMethod, [property: Id(5)] int Matched)
{
    /// <summary>The version an SAE with this lineage (or none) has.</summary>
    public static int VersionOf(SaeLineage? lineage) => lineage?.Version ?? 1;
}
