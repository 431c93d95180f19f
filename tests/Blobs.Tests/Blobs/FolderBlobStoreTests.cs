using Actors.Grains.Blobs;
using Actors.Blobs;

namespace Actors.Blobs.Tests.Blobs;

/// <summary>The blob store contract on a folder in the temp directory, deleted afterwards.</summary>
public sealed class FolderBlobStoreTests : BlobStoreContract
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"silo-blobs-{Guid.NewGuid():N}");
    string TempFolder => Path.Combine(root, "tmp");

    FolderBlobStore Folder => (FolderBlobStore)Store;

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FolderBlobStore(root));

    protected override Task DestroyStoreAsync()
    {
        Folder.Dispose();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Rows of the database plus blob files (outside root/tmp; a temp file left behind fails the count too).</summary>
    protected override async Task<int> CountStoredBlobsAsync()
    {
        if (Directory.Exists(TempFolder)) Assert.Empty(Directory.GetFiles(TempFolder));
        string prefix = TempFolder + Path.DirectorySeparatorChar;
        int files = Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Count(f => !f.StartsWith(prefix) && !Path.GetFileName(f).StartsWith("packed.db", StringComparison.Ordinal)) : 0;
        return files + (int)await Folder.PackedCountAsync();
    }

    [Fact]
    public async Task LargeBlobsAreFilesShardedByTheFirstTwoBytePairsOfTheirHash()
    {
        string hash = await Store.PutAsync(Bytes(FolderBlobStore.PackedMaxBytes + 1, 2));
        Assert.True(File.Exists(Path.Combine(root, hash[..2], hash[2..4], hash)));
        Assert.Equal(0, await Folder.PackedCountAsync());
    }

    [Fact]
    public async Task SmallBlobsAreRowsOfTheFoldersDatabaseNotFiles()
    {
        string hash = await Store.PutAsync(Bytes(FolderBlobStore.PackedMaxBytes, 2));
        Assert.False(File.Exists(Folder.PathOf(hash)));
        Assert.Equal(1, await Folder.PackedCountAsync());
        Assert.Equal(Bytes(FolderBlobStore.PackedMaxBytes, 2), await Store.GetAsync(hash));
    }

    /// <summary>A folder written when every blob was a file reads as before, and storing such a blob again keeps one copy readable.</summary>
    [Fact]
    public async Task SmallBlobsStoredAsFilesBeforeStillRead()
    {
        var bytes = Bytes(3000, 7);
        string hash = BlobHash.Of(bytes);
        string path = Folder.PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        Assert.True(await Store.ExistsAsync(hash));
        Assert.Equal(bytes, await Store.GetAsync(hash));
        Assert.False(File.Exists(Folder.PackedPath));                  // reading created no database
        Assert.Equal(hash, await Store.PutAsync(bytes));
        Assert.Equal(bytes, await Store.GetAsync(hash));
    }

    /// <summary>Another store on the same folder (a second process, or this one restarted) reads what the first stored.</summary>
    [Fact]
    public async Task AnotherStoreOnTheFolderReadsPackedBlobs()
    {
        var bytes = Bytes(2000, 8);
        string hash = await Store.PutAsync(bytes);
        using var other = new FolderBlobStore(root);
        Assert.Equal(bytes, await other.GetAsync(hash));
        Assert.True(await other.ExistsAsync(hash));
    }
}
