namespace Actors.Grains.Registry;

public enum RegistryKind { Model, Sae, Corpus, Vocabulary }

/// <summary>Ids of everything registered, per kind, kept in ordinal order.</summary>
public sealed class RegistryState
{
    public Dictionary<RegistryKind, List<string>> Entries { get; init; } = [];
}
