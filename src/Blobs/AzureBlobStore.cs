using Actors.Grains.Blobs;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Actors.Blobs;

/// <summary>
/// Blobs in one Azure Blob Storage container (azurite in the loopback cluster), each named by its hash. An upload
/// is conditional (If-None-Match: *), so it never overwrites: a repeated or concurrent upload of the same bytes
/// finds the blob already there and succeeds, and the stored bytes are those of the first writer, which are the
/// same by construction. The container is created by the first upload that finds it missing; reads of a missing
/// container find no blob.
/// </summary>
public sealed class AzureBlobStore : IBlobStore
{
    /// <summary>
    /// The REST version the client sends. Azure.Storage.Blobs 12.30.1 defaults to a version newer than azurite 3.35
    /// accepts; Azure itself serves this one too, so pinning it costs nothing there.
    /// </summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2025_11_05;

    public AzureBlobStore(string connectionString, string containerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ValidateContainerName(containerName);
        Container = new BlobServiceClient(connectionString, new BlobClientOptions(ServiceVersion)).GetBlobContainerClient(containerName);
    }

    public BlobContainerClient Container { get; }

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string hash = BlobHash.Of(content.Span);
        var blob = Container.GetBlobClient(hash);
        var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            try { await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken); }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.ErrorCode == BlobErrorCode.ConditionNotMet)
        {
            // Another writer stored these bytes first (409 for a single-shot upload, 412 for a block-list commit).
        }
        return hash;
    }

    /// <summary>Each blob is its own upload; a few run at once, as each is a round trip to the service.</summary>
    public async Task<string[]> PutManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default)
    {
        var hashes = new string[contents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, contents.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentUploads, CancellationToken = cancellationToken },
            async (i, ct) => hashes[i] = await PutAsync(contents[i], ct));
        return hashes;
    }

    const int ConcurrentUploads = 8;

    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        var blob = Container.GetBlobClient(BlobHash.Validate(hash));
        try { return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray(); }
        catch (RequestFailedException e) when (e.Status == 404) { return null; } // no such blob, or no container yet
    }

    public async Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) =>
        (await Container.GetBlobClient(BlobHash.Validate(hash)).ExistsAsync(cancellationToken)).Value;

    /// <summary>Azure's rule (3-63 of a-z, 0-9 and single inner hyphens), checked here so a bad name fails at
    /// construction with its name rather than as a 400 on the first upload.</summary>
    static void ValidateContainerName(string name)
    {
        bool valid = name is { Length: >= 3 and <= 63 }
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && name[0] != '-' && name[^1] != '-' && !name.Contains("--");
        if (!valid)
            throw new ArgumentException(
                $"blob container name '{name}' is not 3-63 lower-case letters, digits and single inner hyphens", "containerName");
    }
}
