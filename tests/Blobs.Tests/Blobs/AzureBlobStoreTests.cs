using Actors.Grains.Blobs;
using Actors.Blobs;
using Actors.Blobs.Tests.Fixtures;

namespace Actors.Blobs.Tests.Blobs;

/// <summary>
/// The blob store contract against a real azurite-blob on loopback (started by the fixture from
/// deploy/node_modules), each test in its own container, deleted afterwards.
/// </summary>
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : BlobStoreContract, IClassFixture<AzuriteFixture>
{
    readonly string containerName = $"blobs-{Guid.NewGuid():N}";
    AzureBlobStore azure = null!;

    protected override Task<IBlobStore> CreateStoreAsync() =>
        Task.FromResult<IBlobStore>(azure = new AzureBlobStore(azurite.ConnectionString, containerName));

    protected override async Task DestroyStoreAsync() => await azure.Container.DeleteIfExistsAsync();

    protected override async Task<int> CountStoredBlobsAsync()
    {
        int count = 0;
        await foreach (var _ in azure.Container.GetBlobsAsync()) count++;
        return count;
    }

    [Fact]
    public async Task TwoConcurrentUploadsOfTheSameBytesBothSucceedAndStoreOneBlobNamedByItsHash()
    {
        var bytes = Bytes(100_000, 7);
        var hashes = await Task.WhenAll(Task.Run(() => Store.PutAsync(bytes)), Task.Run(() => Store.PutAsync(bytes)));
        Assert.Equal(hashes[0], hashes[1]);
        var names = new List<string>();
        await foreach (var blob in azure.Container.GetBlobsAsync()) names.Add(blob.Name);
        Assert.Equal([hashes[0]], names);
    }

    [Fact]
    public async Task ARepeatedUploadLeavesTheStoredBlobUntouched()
    {
        var bytes = Bytes(1000, 10);
        string hash = await Store.PutAsync(bytes);
        var blob = azure.Container.GetBlobClient(hash);
        var before = (await blob.GetPropertiesAsync()).Value.ETag;
        await Store.PutAsync(bytes);
        Assert.Equal(before, (await blob.GetPropertiesAsync()).Value.ETag); // an overwrite would issue a new etag
    }

    [Fact]
    public async Task TheContainerIsCreatedByTheFirstUploadAndReadsBeforeItFindNothing()
    {
        string hash = BlobHash.Of(Bytes(10, 8));
        Assert.False((await azure.Container.ExistsAsync()).Value);
        Assert.Null(await Store.GetAsync(hash));
        Assert.False(await Store.ExistsAsync(hash));
        Assert.Equal(hash, await Store.PutAsync(Bytes(10, 8)));
        Assert.True((await azure.Container.ExistsAsync()).Value);
        Assert.True(await Store.ExistsAsync(hash));
    }

    [Fact]
    public async Task AWrongHashIsRejectedBeforeAnyRequestIsSent()
    {
        // Nothing listens on port 1: a request would fail with RequestFailedException, not ArgumentException.
        var offline = new AzureBlobStore(
            azurite.ConnectionString.Replace($":{azurite.Azurite.Port}/", ":1/"), containerName);
        string upperCase = BlobHash.Of(Bytes(10, 9)).ToUpperInvariant();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => offline.GetAsync(upperCase));
        Assert.Contains(upperCase, e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => offline.ExistsAsync(upperCase));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Blobs")]
    [InlineData("blobs--thumbnails")]
    [InlineData("-blobs")]
    [InlineData("blobs/thumbnails")]
    public void AnInvalidContainerNameIsRejectedNamingIt(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new AzureBlobStore(azurite.ConnectionString, name));
        Assert.Contains(name, e.Message);
    }
}
