namespace Actors.Grains.Blobs;

/// <summary>
/// Immutable blobs (thumbnails of reference images) addressed by the SHA-256 of their bytes, so grain state
/// keeps a 64-character reference instead of pixels and storing the same image twice stores it once.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the bytes (a no-op if already present); returns their lower-case hex SHA-256.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
    /// <summary>
    /// Stores several blobs (as <see cref="PutAsync"/> each); returns their hashes in the same order. A store may make
    /// them durable together: ingestion stores a batch's thumbnails at once, and one sync per batch instead of one per
    /// image is what keeps that off the critical path on a disk where a sync takes milliseconds.
    /// </summary>
    Task<string[]> PutManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default);
    /// <summary>The bytes stored under the hash, or null if none are.</summary>
    Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default);
    Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default);
}
