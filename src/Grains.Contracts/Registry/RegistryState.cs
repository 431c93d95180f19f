using Orleans;
namespace Actors.Grains.Registry;

[GenerateSerializer, Alias("actors.RegistryKind")]
public enum RegistryKind { Model, Sae, Corpus, Vocabulary }

/// <summary>Ids of everything registered, per kind, kept in ordinal order.</summary>
[GenerateSerializer, Alias("actors.RegistryState")]
public sealed class RegistryState
{
    [Id(0)] public Dictionary<RegistryKind, List<string>> Entries { get; init; } = [];
}
