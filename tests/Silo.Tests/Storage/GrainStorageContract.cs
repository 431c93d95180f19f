using System.Text;
using Actors.Silo.Storage;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Actors.Silo.Tests.Storage;

/// <summary>
/// The contract every grain storage provider must meet; each provider's test class derives from this and
/// supplies a fresh, isolated store. Keys carry a per-run prefix so runs never see each other's rows.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    protected SqlGrainStorage Storage { get; private set; } = null!;
    readonly string prefix = $"run-{Guid.NewGuid():N}";

    protected abstract Task<SqlGrainStorage> CreateStorageAsync();
    protected virtual Task DestroyStorageAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Storage = await CreateStorageAsync();
    public Task DisposeAsync() => DestroyStorageAsync();

    string Key(string name) => $"{prefix}/{name}";
    static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
    static string? S(byte[]? payload) => payload is null ? null : Encoding.UTF8.GetString(payload);

    static void AssertStored(string payload, string etag, StoredState stored)
    {
        Assert.Equal(payload, S(stored.Payload));
        Assert.Equal(etag, stored.Etag);
    }

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
        string etag = await Storage.WriteAsync("latent", Key("a"), "state", B("""{"count":3}"""), null);
        var stored = await Storage.ReadAsync("latent", Key("a"), "state");
        Assert.Equal("""{"count":3}""", S(stored.Payload));
        Assert.Equal(etag, stored.Etag);
    }

    [Fact]
    public async Task EachWriteWithTheCurrentEtagSucceedsAndIssuesANewEtag()
    {
        string e1 = await Storage.WriteAsync("latent", Key("a"), "state", B("1"), null);
        string e2 = await Storage.WriteAsync("latent", Key("a"), "state", B("2"), e1);
        string e3 = await Storage.WriteAsync("latent", Key("a"), "state", B("3"), e2);
        Assert.Equal(3, new[] { e1, e2, e3 }.Distinct().Count());
        AssertStored("3", e3, await Storage.ReadAsync("latent", Key("a"), "state"));
    }

    [Fact]
    public async Task UnderConcurrentLoadEveryReadSeesTheWriteBeforeIt()
    {
        // Grains write and read their own keys at once, as a checkpoint's activations and merges do: a read that
        // follows a write must find it, whichever connections the engine runs them on.
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            string key = Key($"load-{i}");
            Assert.Equal(StoredState.Absent, await Storage.ReadAsync("latent", key, "state"));
            string? etag = null;
            for (int version = 1; version <= 3; version++)
            {
                etag = await Storage.WriteAsync("latent", key, "state", B($"{i}.{version}"), etag);
                AssertStored($"{i}.{version}", etag, await Storage.ReadAsync("latent", key, "state"));
            }
        });
    }

    [Fact]
    public async Task StaleWriteIsRejectedAndStoredDataIsUnchanged()
    {
        await Storage.WriteAsync("latent", Key("a"), "state", B("original"), null);
        var readerA = await Storage.ReadAsync("latent", Key("a"), "state");
        var readerB = await Storage.ReadAsync("latent", Key("a"), "state");
        string winner = await Storage.WriteAsync("latent", Key("a"), "state", B("from A"), readerA.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync("latent", Key("a"), "state", B("from B"), readerB.Etag));
        AssertStored("from A", winner, await Storage.ReadAsync("latent", Key("a"), "state"));
    }

    [Fact]
    public async Task OfTwoFirstWritersOnlyOneSucceeds()
    {
        await Storage.WriteAsync("latent", Key("a"), "state", B("first"), null);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync("latent", Key("a"), "state", B("second"), null));
        Assert.Equal("first", S((await Storage.ReadAsync("latent", Key("a"), "state")).Payload));
    }

    [Fact]
    public async Task ClearRemovesThePayloadAndTheOldEtagNeverMatchesAgain()
    {
        string e1 = await Storage.WriteAsync("latent", Key("a"), "state", B("x"), null);
        string cleared = await Storage.ClearAsync("latent", Key("a"), "state", e1);
        var afterClear = await Storage.ReadAsync("latent", Key("a"), "state");
        Assert.Null(afterClear.Payload);
        Assert.Equal(cleared, afterClear.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync("latent", Key("a"), "state", B("y"), e1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync("latent", Key("a"), "state", B("y"), null));
        string e3 = await Storage.WriteAsync("latent", Key("a"), "state", B("y"), cleared);
        AssertStored("y", e3, await Storage.ReadAsync("latent", Key("a"), "state"));
    }

    [Fact]
    public async Task ClearWithAStaleEtagIsRejectedAndKeepsThePayload()
    {
        string e1 = await Storage.WriteAsync("latent", Key("a"), "state", B("x"), null);
        await Storage.WriteAsync("latent", Key("a"), "state", B("x2"), e1);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync("latent", Key("a"), "state", e1));
        Assert.Equal("x2", S((await Storage.ReadAsync("latent", Key("a"), "state")).Payload));
    }

    [Fact]
    public async Task GrainTypeKeyAndStateNameEachAddressASeparateRecord()
    {
        await Storage.WriteAsync("latent", Key("a"), "state", B("1"), null);
        await Storage.WriteAsync("concept", Key("a"), "state", B("2"), null);
        await Storage.WriteAsync("latent", Key("b"), "state", B("3"), null);
        await Storage.WriteAsync("latent", Key("a"), "labels", B("4"), null);
        Assert.Equal("1", S((await Storage.ReadAsync("latent", Key("a"), "state")).Payload));
        Assert.Equal("2", S((await Storage.ReadAsync("concept", Key("a"), "state")).Payload));
        Assert.Equal("3", S((await Storage.ReadAsync("latent", Key("b"), "state")).Payload));
        Assert.Equal("4", S((await Storage.ReadAsync("latent", Key("a"), "labels")).Payload));
    }

    [Fact]
    public async Task ConcurrentWritersOnDifferentKeysAllSucceed()
    {
        const int writers = 8, writes = 10;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            string? etag = null;
            for (int i = 0; i < writes; i++)
                etag = await Storage.WriteAsync("latent", Key($"w{w}"), "state", B($"{w}:{i}"), etag);
        })));
        for (int w = 0; w < writers; w++)
            Assert.Equal($"{w}:{writes - 1}", S((await Storage.ReadAsync("latent", Key($"w{w}"), "state")).Payload));
    }

    [Fact]
    public async Task OfManyConcurrentWritersHoldingTheSameEtagExactlyOneWins()
    {
        string etag = await Storage.WriteAsync("latent", Key("hot"), "state", B("start"), null);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try { await Storage.WriteAsync("latent", Key("hot"), "state", B($"writer {i}"), etag); return i; }
            catch (InconsistentStateException) { return -1; }
        })));
        int winner = Assert.Single(results, r => r >= 0);
        Assert.Equal($"writer {winner}", S((await Storage.ReadAsync("latent", Key("hot"), "state")).Payload));
    }

    [Fact]
    public async Task LargePayloadOfSeveralMegabytesRoundTrips()
    {
        var rng = new Random(5);
        var sb = new StringBuilder(4 << 20);
        while (sb.Length < 4 << 20) sb.Append((char)rng.Next('a', 'z' + 1));
        string payload = sb.ToString();
        string etag = await Storage.WriteAsync("latent", Key("big"), "state", B(payload), null);
        var stored = await Storage.ReadAsync("latent", Key("big"), "state");
        Assert.Equal(etag, stored.Etag);
        Assert.True(payload == S(stored.Payload), "4 MiB payload changed on the round trip");
    }

    [Fact]
    public async Task NonAsciiKeysAndPayloadsRoundTrip()
    {
        string key = Key("vocab/café ☕ 狗");
        await Storage.WriteAsync("concept", key, "state", B("""{"text":"ünïcödé 狗 🐕"}"""), null);
        Assert.Equal("""{"text":"ünïcödé 狗 🐕"}""", S((await Storage.ReadAsync("concept", key, "state")).Payload));
    }

    [Fact]
    public async Task AnEtagThisStorageNeverIssuedIsRejectedAsAnArgumentError()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Storage.WriteAsync("latent", Key("a"), "state", B("x"), "W/\"abc\""));
        Assert.Contains("W/\"abc\"", e.Message);
    }

    // ---- Through Orleans's IGrainStorage, as grains use it ----

    [GenerateSerializer, Alias("actors.tests.Counter")]
    public sealed class Counter
    {
        [Id(0)] public int Count { get; set; }
        [Id(1)] public List<string> Seen { get; set; } = [];
    }

    GrainId Grain(string name) => GrainId.Create("latent", Key(name));

    [Fact]
    public async Task GrainStateWrittenThroughOrleansReadsBackEqualWithItsEtag()
    {
        IGrainStorage orleans = Storage;
        var state = new GrainState<Counter>(new Counter { Count = 3, Seen = ["a", "b"] });
        await orleans.WriteStateAsync("counter", Grain("g"), state);
        Assert.True(state.RecordExists);
        var read = new GrainState<Counter>();
        await orleans.ReadStateAsync("counter", Grain("g"), read);
        Assert.Equal((3, "a,b", state.ETag, true), (read.State!.Count, string.Join(",", read.State!.Seen), read.ETag, read.RecordExists));
        // Stored under the grain's type and key, as the records API (and any other reader) addresses it.
        Assert.Equal(state.ETag, (await Storage.ReadAsync("latent", Key("g"), "counter")).Etag);
    }

    [Fact]
    public async Task AbsentGrainStateReadsAsANewStateWithoutARecord()
    {
        IGrainStorage orleans = Storage;
        var read = new GrainState<Counter>(new Counter { Count = 9 });
        await orleans.ReadStateAsync("counter", Grain("none"), read);
        Assert.Equal((0, (string?)null, false), (read.State!.Count, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task AStaleGrainWriterGetsOrleansInconsistentStateAndTheStoredStateStays()
    {
        IGrainStorage orleans = Storage;
        var a = new GrainState<Counter>(new Counter { Count = 1 });
        await orleans.WriteStateAsync("counter", Grain("g"), a);
        var b = new GrainState<Counter>();
        await orleans.ReadStateAsync("counter", Grain("g"), b);
        a.State!.Count = 2;
        await orleans.WriteStateAsync("counter", Grain("g"), a);
        b.State!.Count = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => orleans.WriteStateAsync("counter", Grain("g"), b));
        var read = new GrainState<Counter>();
        await orleans.ReadStateAsync("counter", Grain("g"), read);
        Assert.Equal(2, read.State!.Count);
        await orleans.ClearStateAsync("counter", Grain("g"), read);
        Assert.False(read.RecordExists);
        await orleans.ReadStateAsync("counter", Grain("g"), read);
        Assert.Equal((0, false), (read.State!.Count, read.RecordExists));
    }

    [Fact]
    public async Task StoredBytesThatAreNotTheStateTypeGiveAnErrorNamingTheGrainAndState()
    {
        await Storage.WriteAsync("latent", Key("corrupt"), "counter", [0xFF, 0x00, 0x13, 0x37], null);
        IGrainStorage orleans = Storage;
        var e = await Assert.ThrowsAsync<GrainStorageException>(() => orleans.ReadStateAsync("counter", Grain("corrupt"), new GrainState<Counter>()));
        Assert.Contains("'counter'", e.Message);
        Assert.Contains(Key("corrupt"), e.Message);
    }
}
