namespace Actors.Silo.Storage;

/// <summary>
/// What storage holds for one (grain type, key, state name). Payload is null when nothing is stored;
/// Etag is null only when no record was ever written. A cleared record keeps its (advanced) version, so an
/// old etag can never match again (no ABA after clear and re-create).
/// </summary>
public sealed record StoredState(string? Payload, string? Etag)
{
    public static readonly StoredState Absent = new(null, null);
}

/// <summary>
/// Durable grain state with optimistic concurrency: every write names the etag it read; a store that holds
/// another version rejects the write with InconsistentStateException and keeps what it has.
/// </summary>
public interface IGrainStorage
{
    Task<StoredState> ReadAsync(string grainType, string grainKey, string stateName, CancellationToken cancellationToken = default);

    /// <summary>Stores the payload if the current etag equals <paramref name="expectedEtag"/> (null: no record yet); returns the new etag.</summary>
    Task<string> WriteAsync(string grainType, string grainKey, string stateName, string payload, string? expectedEtag,
        CancellationToken cancellationToken = default);

    /// <summary>Removes the payload under the same etag check; returns the new etag.</summary>
    Task<string> ClearAsync(string grainType, string grainKey, string stateName, string? expectedEtag,
        CancellationToken cancellationToken = default);
}
