using System.Security.Cryptography;
using Actors.Grains.Blobs;

namespace Actors.Blobs.Tests.Blobs;

/// <summary>
/// The contract every blob store must meet; each store's test class derives from this, supplies a fresh, empty
/// store per test, and says how many blobs that store physically holds (so "stored once" is checked on the
/// backend, not through the interface).
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    protected IBlobStore Store { get; private set; } = null!;

    protected abstract Task<IBlobStore> CreateStoreAsync();
    protected virtual Task DestroyStoreAsync() => Task.CompletedTask;
    /// <summary>The blobs the backend holds for this test's store (temp files and the like excluded).</summary>
    protected abstract Task<int> CountStoredBlobsAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();
    public Task DisposeAsync() => DestroyStoreAsync();

    protected static byte[] Bytes(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public async Task TheHashIsTheSha256OfTheBytesAndGetReturnsThemUnchanged()
    {
        var bytes = Bytes(10_000, 1);
        string hash = await Store.PutAsync(bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), hash);
        Assert.Equal(bytes, await Store.GetAsync(hash));
        Assert.True(await Store.ExistsAsync(hash));
    }

    [Fact]
    public async Task PutManyStoresEachBlobUnderItsHashInOrder()
    {
        // Small and large (a folder keeps blobs over 64 KiB as files), a repeat within the call, and the empty blob.
        byte[][] blobs = [Bytes(3_000, 11), Bytes(70_000, 12), Bytes(3_000, 11), [], Bytes(500, 13)];
        var hashes = await Store.PutManyAsync([.. blobs.Select(b => (ReadOnlyMemory<byte>)b)]);
        Assert.Equal(blobs.Select(b => Convert.ToHexStringLower(SHA256.HashData(b))), hashes);
        for (int i = 0; i < blobs.Length; i++) Assert.Equal(blobs[i], await Store.GetAsync(hashes[i]));
        Assert.Equal(4, await CountStoredBlobsAsync());
        Assert.Empty(await Store.PutManyAsync([]));
        Assert.Equal(hashes[1], await Store.PutAsync(blobs[1]));
        Assert.Equal(4, await CountStoredBlobsAsync());
    }

    [Fact]
    public async Task TheEmptyBlobHasTheWellKnownSha256OfNothingAndReadsBackEmpty()
    {
        string hash = await Store.PutAsync(Array.Empty<byte>());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hash);
        Assert.Equal(Array.Empty<byte>(), await Store.GetAsync(hash));
    }

    [Fact]
    public async Task DifferentBytesAreDifferentBlobs()
    {
        byte[] a = Bytes(1000, 5), b = Bytes(1000, 6);
        string ha = await Store.PutAsync(a), hb = await Store.PutAsync(b);
        Assert.NotEqual(ha, hb);
        Assert.Equal(a, await Store.GetAsync(ha));
        Assert.Equal(b, await Store.GetAsync(hb));
        Assert.Equal(2, await CountStoredBlobsAsync());
    }

    [Fact]
    public async Task StoringTheSameBytesAgainSucceedsWithTheSameHashAndKeepsOneBlob()
    {
        var bytes = Bytes(5_000, 2);
        string first = await Store.PutAsync(bytes);
        string second = await Store.PutAsync(bytes);
        Assert.Equal(first, second);
        Assert.Equal(bytes, await Store.GetAsync(first));
        Assert.Equal(1, await CountStoredBlobsAsync());
    }

    [Fact]
    public async Task ConcurrentStoresOfTheSameBytesAllSucceedAndKeepOneBlob()
    {
        var bytes = Bytes(200_000, 3);
        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.PutAsync(bytes))));
        Assert.Single(hashes.Distinct());
        Assert.Equal(1, await CountStoredBlobsAsync());
        Assert.Equal(bytes, await Store.GetAsync(hashes[0]));
    }

    [Fact]
    public async Task AnAbsentBlobIsNullAndDoesNotExist()
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Bytes(10, 4)));
        Assert.Null(await Store.GetAsync(hash));
        Assert.False(await Store.ExistsAsync(hash));
    }

    public static TheoryData<string> MalformedHashes => new()
    {
        "abc",
        "../../../../etc/passwd",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", // upper case would name another blob
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85/", // 64 characters, one not hex
    };

    [Theory]
    [MemberData(nameof(MalformedHashes))]
    public async Task AMalformedHashIsRejectedNamingIt(string hash)
    {
        var get = await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(hash));
        Assert.Contains(hash, get.Message);
        var exists = await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(hash));
        Assert.Contains(hash, exists.Message);
    }
}
