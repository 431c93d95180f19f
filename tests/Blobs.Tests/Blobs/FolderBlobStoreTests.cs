using Actors.Grains.Blobs;
using Actors.Blobs;

namespace Actors.Blobs.Tests.Blobs;

/// <summary>The blob store contract on a folder in the temp directory, deleted afterwards.</summary>
public sealed class FolderBlobStoreTests : BlobStoreContract
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"silo-blobs-{Guid.NewGuid():N}");
    string TempFolder => Path.Combine(root, "tmp");

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FolderBlobStore(root));

    protected override Task DestroyStoreAsync()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Files outside root/tmp; a temp file left behind fails the count too.</summary>
    protected override Task<int> CountStoredBlobsAsync()
    {
        if (Directory.Exists(TempFolder)) Assert.Empty(Directory.GetFiles(TempFolder));
        string prefix = TempFolder + Path.DirectorySeparatorChar;
        return Task.FromResult(Directory.GetFiles(root, "*", SearchOption.AllDirectories).Count(f => !f.StartsWith(prefix)));
    }

    [Fact]
    public async Task BlobsAreShardedByTheFirstTwoBytePairsOfTheirHash()
    {
        string hash = await Store.PutAsync(Bytes(100, 2));
        Assert.True(File.Exists(Path.Combine(root, hash[..2], hash[2..4], hash)));
    }
}
