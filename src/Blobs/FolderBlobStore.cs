using Actors.Grains.Blobs;

namespace Actors.Blobs;

/// <summary>
/// Blobs as files under root/ab/cd/abcd…(64 hex). A write goes to a unique temp file in root/tmp and is
/// renamed into place, so a reader sees either no file or the whole blob, never a partial one; two writers
/// of the same blob both succeed (the content is identical by construction).
/// </summary>
public sealed class FolderBlobStore : IBlobStore
{
    readonly string temp;

    public FolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        temp = Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string hash = BlobHash.Of(content.Span);
        string path = PathOf(hash);
        if (File.Exists(path)) return hash;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(temp);
        string tempPath = Path.Combine(temp, $"{hash}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await file.WriteAsync(content, cancellationToken);
                file.Flush(flushToDisk: true); // the rename must not expose a file whose bytes are not yet durable
            }
            try { File.Move(tempPath, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { } // a concurrent writer stored the same bytes first
        }
        finally
        {
            if (File.Exists(tempPath)) File.Delete(tempPath);
        }
        return hash;
    }

    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        string path = PathOf(hash);
        try { return await File.ReadAllBytesAsync(path, cancellationToken); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(hash)));

    /// <summary>root/ab/cd/hash; sharding keeps directories small with millions of thumbnails.</summary>
    public string PathOf(string hash)
    {
        BlobHash.Validate(hash);
        return Path.Combine(Root, hash[..2], hash[2..4], hash);
    }
}
