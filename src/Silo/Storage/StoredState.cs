namespace Actors.Silo.Storage;

/// <summary>
/// What storage holds for one (grain type, key, state name). Payload is null when nothing is stored;
/// Etag is null only when no record was ever written. A cleared record keeps its (advanced) version, so an
/// old etag can never match again (no ABA after clear and re-create).
/// </summary>
public sealed record StoredState(byte[]? Payload, string? Etag)
{
    public static readonly StoredState Absent = new(null, null);
}
