using System.Security.Cryptography;
using Actors.Silo.Blobs;

namespace Actors.Silo.Tests.Blobs;

public sealed class FolderBlobStoreTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"silo-blobs-{Guid.NewGuid():N}");
    readonly FolderBlobStore store;

    public FolderBlobStoreTests() => store = new FolderBlobStore(root);
    public void Dispose() { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }

    static byte[] Bytes(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public async Task TheHashIsTheSha256OfTheBytesAndGetReturnsThemUnchanged()
    {
        var bytes = Bytes(10_000, 1);
        string hash = await store.PutAsync(bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), hash);
        Assert.Equal(bytes, await store.GetAsync(hash));
        Assert.True(await store.ExistsAsync(hash));
    }

    [Fact]
    public async Task TheEmptyBlobHasTheWellKnownSha256OfNothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", await store.PutAsync(Array.Empty<byte>()));
    }

    [Fact]
    public async Task BlobsAreShardedByTheFirstTwoBytePairsOfTheirHash()
    {
        string hash = await store.PutAsync(Bytes(100, 2));
        Assert.True(File.Exists(Path.Combine(root, hash[..2], hash[2..4], hash)));
    }

    [Fact]
    public async Task StoringTheSameBytesTwiceOrConcurrentlyKeepsOneFileAndNoTempLeftovers()
    {
        var bytes = Bytes(200_000, 3);
        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.PutAsync(bytes))));
        Assert.Single(hashes.Distinct());
        string tempFolder = Path.Combine(root, "tmp") + Path.DirectorySeparatorChar;
        Assert.Single(Directory.GetFiles(root, "*", SearchOption.AllDirectories), f => !f.StartsWith(tempFolder));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "tmp")));
        Assert.Equal(bytes, await store.GetAsync(hashes[0]));
    }

    [Fact]
    public async Task AnAbsentBlobIsNullAndDoesNotExist()
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Bytes(10, 4)));
        Assert.Null(await store.GetAsync(hash));
        Assert.False(await store.ExistsAsync(hash));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    public async Task AMalformedHashIsRejectedNamingIt(string hash)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(hash));
        Assert.Contains(hash, e.Message);
    }
}
