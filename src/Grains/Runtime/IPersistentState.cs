namespace Actors.Grains.Runtime;

/// <summary>
/// A grain's durable state, injected into its constructor. Writes use optimistic concurrency:
/// <see cref="WriteStateAsync"/> fails with <see cref="InconsistentStateException"/> when another writer
/// stored a newer version since this one was read.
/// </summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }
    /// <summary>Version tag of the stored record this state was read from; null when none exists.</summary>
    string? Etag { get; }
    bool RecordExists { get; }
    Task ReadStateAsync(CancellationToken cancellationToken = default);
    Task WriteStateAsync(CancellationToken cancellationToken = default);
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

/// <summary>Names the state a constructor parameter holds, like Orleans's [PersistentState("name")].</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}

/// <summary>A write was rejected because the stored version is not the one this writer read (stale writer).</summary>
public sealed class InconsistentStateException(string message) : Exception(message);
