using System.Text;
using Actors.Grains.Runtime;
using Actors.Silo.Storage;

namespace Actors.Silo.Tests.Storage;

/// <summary>
/// The contract every grain storage provider must meet; each provider's test class derives from this and
/// supplies a fresh, isolated store. Keys carry a per-run prefix so runs never see each other's rows.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    protected IGrainStorage Storage { get; private set; } = null!;
    readonly string prefix = $"run-{Guid.NewGuid():N}";

    protected abstract Task<IGrainStorage> CreateStorageAsync();
    protected virtual Task DestroyStorageAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Storage = await CreateStorageAsync();
    public Task DisposeAsync() => DestroyStorageAsync();

    string Key(string name) => $"{prefix}/{name}";

    [Fact]
    public async Task ReadOfAbsentStateReturnsNoPayloadAndNoEtag()
    {
        var stored = await Storage.ReadAsync("latent", Key("absent"), "state");
        Assert.Null(stored.Payload);
        Assert.Null(stored.Etag);
    }

    [Fact]
    public async Task WriteThenReadReturnsTheSamePayloadAndEtag()
    {
        string etag = await Storage.WriteAsync("latent", Key("a"), "state", """{"count":3}""", null);
        var stored = await Storage.ReadAsync("latent", Key("a"), "state");
        Assert.Equal("""{"count":3}""", stored.Payload);
        Assert.Equal(etag, stored.Etag);
    }

    [Fact]
    public async Task EachWriteWithTheCurrentEtagSucceedsAndIssuesANewEtag()
    {
        string e1 = await Storage.WriteAsync("latent", Key("a"), "state", "1", null);
        string e2 = await Storage.WriteAsync("latent", Key("a"), "state", "2", e1);
        string e3 = await Storage.WriteAsync("latent", Key("a"), "state", "3", e2);
        Assert.Equal(3, new[] { e1, e2, e3 }.Distinct().Count());
        Assert.Equal(new StoredState("3", e3), await Storage.ReadAsync("latent", Key("a"), "state"));
    }

    [Fact]
    public async Task StaleWriteIsRejectedAndStoredDataIsUnchanged()
    {
        await Storage.WriteAsync("latent", Key("a"), "state", "original", null);
        var readerA = await Storage.ReadAsync("latent", Key("a"), "state");
        var readerB = await Storage.ReadAsync("latent", Key("a"), "state");
        string winner = await Storage.WriteAsync("latent", Key("a"), "state", "from A", readerA.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync("latent", Key("a"), "state", "from B", readerB.Etag));
        Assert.Equal(new StoredState("from A", winner), await Storage.ReadAsync("latent", Key("a"), "state"));
    }

    [Fact]
    public async Task OfTwoFirstWritersOnlyOneSucceeds()
    {
        await Storage.WriteAsync("latent", Key("a"), "state", "first", null);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync("latent", Key("a"), "state", "second", null));
        Assert.Equal("first", (await Storage.ReadAsync("latent", Key("a"), "state")).Payload);
    }

    [Fact]
    public async Task ClearRemovesThePayloadAndTheOldEtagNeverMatchesAgain()
    {
        string e1 = await Storage.WriteAsync("latent", Key("a"), "state", "x", null);
        string cleared = await Storage.ClearAsync("latent", Key("a"), "state", e1);
        var afterClear = await Storage.ReadAsync("latent", Key("a"), "state");
        Assert.Null(afterClear.Payload);
        Assert.Equal(cleared, afterClear.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync("latent", Key("a"), "state", "y", e1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync("latent", Key("a"), "state", "y", null));
        string e3 = await Storage.WriteAsync("latent", Key("a"), "state", "y", cleared);
        Assert.Equal(new StoredState("y", e3), await Storage.ReadAsync("latent", Key("a"), "state"));
    }

    [Fact]
    public async Task ClearWithAStaleEtagIsRejectedAndKeepsThePayload()
    {
        string e1 = await Storage.WriteAsync("latent", Key("a"), "state", "x", null);
        await Storage.WriteAsync("latent", Key("a"), "state", "x2", e1);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync("latent", Key("a"), "state", e1));
        Assert.Equal("x2", (await Storage.ReadAsync("latent", Key("a"), "state")).Payload);
    }

    [Fact]
    public async Task GrainTypeKeyAndStateNameEachAddressASeparateRecord()
    {
        await Storage.WriteAsync("latent", Key("a"), "state", "1", null);
        await Storage.WriteAsync("concept", Key("a"), "state", "2", null);
        await Storage.WriteAsync("latent", Key("b"), "state", "3", null);
        await Storage.WriteAsync("latent", Key("a"), "labels", "4", null);
        Assert.Equal("1", (await Storage.ReadAsync("latent", Key("a"), "state")).Payload);
        Assert.Equal("2", (await Storage.ReadAsync("concept", Key("a"), "state")).Payload);
        Assert.Equal("3", (await Storage.ReadAsync("latent", Key("b"), "state")).Payload);
        Assert.Equal("4", (await Storage.ReadAsync("latent", Key("a"), "labels")).Payload);
    }

    [Fact]
    public async Task ConcurrentWritersOnDifferentKeysAllSucceed()
    {
        const int writers = 8, writes = 10;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            string? etag = null;
            for (int i = 0; i < writes; i++)
                etag = await Storage.WriteAsync("latent", Key($"w{w}"), "state", $"{w}:{i}", etag);
        })));
        for (int w = 0; w < writers; w++)
            Assert.Equal($"{w}:{writes - 1}", (await Storage.ReadAsync("latent", Key($"w{w}"), "state")).Payload);
    }

    [Fact]
    public async Task OfManyConcurrentWritersHoldingTheSameEtagExactlyOneWins()
    {
        string etag = await Storage.WriteAsync("latent", Key("hot"), "state", "start", null);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try { await Storage.WriteAsync("latent", Key("hot"), "state", $"writer {i}", etag); return i; }
            catch (InconsistentStateException) { return -1; }
        })));
        int winner = Assert.Single(results, r => r >= 0);
        Assert.Equal($"writer {winner}", (await Storage.ReadAsync("latent", Key("hot"), "state")).Payload);
    }

    [Fact]
    public async Task LargePayloadOfSeveralMegabytesRoundTrips()
    {
        var rng = new Random(5);
        var sb = new StringBuilder(4 << 20);
        while (sb.Length < 4 << 20) sb.Append((char)rng.Next('a', 'z' + 1));
        string payload = sb.ToString();
        string etag = await Storage.WriteAsync("latent", Key("big"), "state", payload, null);
        var stored = await Storage.ReadAsync("latent", Key("big"), "state");
        Assert.Equal(etag, stored.Etag);
        Assert.True(payload == stored.Payload, "4 MiB payload changed on the round trip");
    }

    [Fact]
    public async Task NonAsciiKeysAndPayloadsRoundTrip()
    {
        string key = Key("vocab/café ☕ 狗");
        await Storage.WriteAsync("concept", key, "state", """{"text":"ünïcödé 狗 🐕"}""", null);
        Assert.Equal("""{"text":"ünïcödé 狗 🐕"}""", (await Storage.ReadAsync("concept", key, "state")).Payload);
    }

    [Fact]
    public async Task AnEtagThisStorageNeverIssuedIsRejectedAsAnArgumentError()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Storage.WriteAsync("latent", Key("a"), "state", "x", "W/\"abc\""));
        Assert.Contains("W/\"abc\"", e.Message);
    }
}
