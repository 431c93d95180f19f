using Orleans;

namespace Actors.Grains.Registry;

/// <summary>The one registry grain, key <see cref="GlobalKey"/>: lists models, SAEs, corpora and vocabularies.</summary>
[Alias("actors.IRegistryGrain")]
public interface IRegistryGrain : IGrainWithStringKey
{
    const string GlobalKey = "global";
    /// <summary>Adds an id; false when it was already listed.</summary>
    Task<bool> AddAsync(RegistryKind kind, string id);
    Task<bool> RemoveAsync(RegistryKind kind, string id);
    Task<string[]> ListAsync(RegistryKind kind);
}
