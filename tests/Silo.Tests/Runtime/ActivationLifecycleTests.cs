using System.Collections.Immutable;
using Actors.Grains.Runtime;
using Actors.Silo.Hosting;
using Actors.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Silo.Tests.Runtime;

public sealed class ActivationLifecycleTests : IAsyncLifetime
{
    readonly SiloFixture fixture = new();
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await fixture.DisposeAsync();

    static LedgerEntry Entry(string label, double value) => new(label, value, [1, 2, 3]);

    [Fact]
    public async Task StateWrittenBeforeDeactivationIsTheStateAfterReactivation()
    {
        var silo = fixture.Start();
        var ledger = silo.GetGrain<ILedgerGrain>("sae/7");
        await ledger.AddAsync(Entry("dog", 2.5));
        await ledger.AddAsync(Entry("cat", -1));
        var before = await ledger.GetAsync();

        await silo.ForceDeactivateAsync<ILedgerGrain>("sae/7");
        Assert.False(silo.IsActive(silo.GrainIdOf<ILedgerGrain>("sae/7")));

        var after = await ledger.GetAsync(); // activates afresh and reads from SQLite
        Assert.NotSame(before, after);
        Assert.Equal(2, after.Writes);
        Assert.Equal(before.Entries, after.Entries, (a, b) => a.Label == b.Label && a.Value == b.Value && a.Tags.SequenceEqual(b.Tags));
        Assert.Equal(2.5, after.Max);
    }

    [Fact]
    public async Task ChangedStateIsWrittenOnDeactivationEvenWithoutAnExplicitWrite()
    {
        var silo = fixture.Start();
        await silo.GetGrain<ILedgerGrain>("unsaved").AddWithoutWritingAsync(Entry("x", 1));
        await silo.ForceDeactivateAsync<ILedgerGrain>("unsaved");
        var state = await silo.GetGrain<ILedgerGrain>("unsaved").GetAsync();
        Assert.Equal("x", Assert.Single(state.Entries).Label);
    }

    [Fact]
    public async Task AStaleWriterInAnotherSiloIsRejectedAndTheStoredStateIsKept()
    {
        var siloA = fixture.Start();
        var siloB = fixture.Start(); // same SQLite file, as two processes would share it
        var a = siloA.GetGrain<ILedgerGrain>("contested");
        var b = siloB.GetGrain<ILedgerGrain>("contested");
        await a.GetAsync();
        await b.GetAsync(); // both activations have read the (absent) record
        await a.AddAsync(Entry("from A", 1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => b.AddAsync(Entry("from B", 2)));

        var stored = await siloA.Storage.ReadAsync("ledger", "contested", "ledger");
        Assert.Contains("from A", stored.Payload);
        Assert.DoesNotContain("from B", stored.Payload);
    }

    [Fact]
    public async Task AnIdleGrainIsDeactivatedAfterTheCollectionAgeAndComesBackOnTheNextCall()
    {
        var silo = fixture.Start(o => { o.CollectionAge = TimeSpan.FromMilliseconds(200); o.CollectionInterval = TimeSpan.FromMilliseconds(50); });
        var ledger = silo.GetGrain<ILedgerGrain>("idle");
        await ledger.AddWithoutWritingAsync(Entry("kept", 3));
        var id = silo.GrainIdOf<ILedgerGrain>("idle");
        await Poll.UntilAsync(() => !silo.IsActive(id), TimeSpan.FromSeconds(10), everyMs: 20);
        Assert.False(silo.IsActive(id), "idle grain was not collected");
        Assert.Equal("kept", Assert.Single((await ledger.GetAsync()).Entries).Label);
    }

    [Fact]
    public async Task DeactivateOnIdleEndsTheActivationAfterItsTurnAndRunsOnDeactivate()
    {
        var silo = fixture.Start();
        var counter = silo.GetGrain<ICounterGrain>("brief");
        var first = await counter.GetActivationIdAsync();
        await counter.DeactivateWhenIdleAsync();
        await Poll.UntilAsync(() => !silo.IsActive(silo.GrainIdOf<ICounterGrain>("brief")), TimeSpan.FromSeconds(10));
        Assert.Contains("deactivate brief", fixture.LogOf(silo).Events);
        Assert.NotEqual(first, await counter.GetActivationIdAsync());
    }

    [Fact]
    public async Task CallsRacingDeactivationsAreAllServedAndTheNextActivationSeesEveryChange()
    {
        var silo = fixture.Start();
        var ledger = silo.GetGrain<ILedgerGrain>("racy");
        var calls = new List<Task>();
        for (int round = 0; round < 20; round++)
        {
            calls.AddRange(Enumerable.Range(0, 10).Select(i => ledger.AddWithoutWritingAsync(Entry($"{round}.{i}", i))));
            calls.Add(silo.ForceDeactivateAsync<ILedgerGrain>("racy"));
        }
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));
        // Only deactivation writes this state, so a call lost in a hand-over, or a new activation that read
        // before the old one had written, would show up as a missing entry.
        var state = await ledger.GetAsync();
        Assert.Equal(200, state.Entries.Select(e => e.Label).Distinct().Count());
    }

    [Fact]
    public async Task ClearingStateRemovesItFromStorage()
    {
        var silo = fixture.Start();
        var ledger = silo.GetGrain<ILedgerGrain>("cleared");
        await ledger.AddAsync(Entry("gone", 1));
        await ledger.ClearAsync();
        await silo.ForceDeactivateAsync<ILedgerGrain>("cleared");
        Assert.Empty((await ledger.GetAsync()).Entries);
        Assert.Null((await silo.Storage.ReadAsync("ledger", "cleared", "ledger")).Payload);
    }

    [Fact]
    public async Task StoppingTheHostDeactivatesEveryGrainAndWritesItsState()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<LifecycleLog>();
        builder.Services.AddSilo(o => { o.DataFolder = fixture.DataFolder; o.AddGrain<ILedgerGrain, LedgerGrain>(); });
        using var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IGrainFactory>();
        for (int i = 0; i < 5; i++) await factory.GetGrain<ILedgerGrain>($"g{i}").AddWithoutWritingAsync(Entry($"e{i}", i));
        await host.StopAsync();

        var storage = host.Services.GetRequiredService<IGrainStorage>();
        for (int i = 0; i < 5; i++)
            Assert.Contains($"e{i}", (await storage.ReadAsync(nameof(LedgerGrain), $"g{i}", "ledger")).Payload);
        await Assert.ThrowsAsync<InvalidOperationException>(() => factory.GetGrain<ILedgerGrain>("late").GetAsync());
    }

    [Fact]
    public async Task RecordsWithConstructorParametersAndInfinitiesRoundTripThroughStorage()
    {
        var storage = new SqliteGrainStorage(Path.Combine(fixture.DataFolder, "state.db"));
        var written = new PersistentState<LedgerState>(storage, "ledger", "k", "s")
        {
            State = new LedgerState { Writes = 1, Entries = [new LedgerEntry("nan", double.NaN, ImmutableArray.Create(7))] },
        };
        await written.WriteStateAsync();
        var read = new PersistentState<LedgerState>(storage, "ledger", "k", "s");
        await read.ReadStateAsync();
        Assert.True(read.RecordExists);
        Assert.Equal(written.Etag, read.Etag);
        Assert.Equal(double.NegativeInfinity, read.State.Max);
        var entry = Assert.Single(read.State.Entries);
        Assert.Equal(("nan", 7), (entry.Label, entry.Tags.Single()));
        Assert.True(double.IsNaN(entry.Value));
    }
}
