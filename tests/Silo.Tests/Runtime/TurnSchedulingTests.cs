using Actors.Grains.Runtime;

namespace Actors.Silo.Tests.Runtime;

public sealed class TurnSchedulingTests : StartedSiloTests
{
    [Fact]
    public async Task ManyConcurrentCallersGetAnExactCountAndTurnsNeverOverlap()
    {
        const int callers = 50, callsEach = 100;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var grain = silo.GetGrain<ICounterGrain>("shared");
            for (int i = 0; i < callsEach; i++) await grain.IncrementAsync();
        })));
        var (count, overlaps, _) = await silo.GetGrain<ICounterGrain>("shared").GetAsync();
        Assert.Equal(callers * callsEach, count);
        Assert.Equal(0, overlaps);
        Assert.Equal(1, silo.ActivationCount);
    }

    [Fact]
    public async Task CallsRunInTheOrderTheyArrive()
    {
        var grain = silo.GetGrain<ICounterGrain>("ordered");
        await Task.WhenAll(Enumerable.Range(0, 300).Select(grain.AppendAsync));
        Assert.Equal(Enumerable.Range(0, 300), await grain.GetOrderAsync());
    }

    [Fact]
    public async Task DifferentGrainsRunTheirTurnsConcurrently()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = silo.GetGrain<ICounterGrain>("a").WaitForSignalAsync(signal);
        await silo.GetGrain<ICounterGrain>("b").IncrementAsync(); // would hang if all grains shared one queue
        Assert.False(waiting.IsCompleted);
        signal.SetResult();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnExceptionReachesTheCallerAndTheActivationKeepsWorking()
    {
        var grain = silo.GetGrain<ICounterGrain>("faulty");
        await grain.IncrementAsync();
        var id = await grain.GetActivationIdAsync();
        var afterAwait = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.FailAfterAwaitAsync("boom"));
        Assert.Equal("boom", afterAwait.Message);
        var beforeAwait = await Assert.ThrowsAsync<ArgumentException>(() => grain.FailBeforeAwaitAsync("bang"));
        Assert.Equal("bang", beforeAwait.Message);
        await grain.IncrementAsync();
        Assert.Equal(2, (await grain.GetAsync()).Count);
        Assert.Equal(id, await grain.GetActivationIdAsync());
    }

    [Fact]
    public async Task ValueTaskMethodsAreQueuedAsTurnsToo()
    {
        var grain = silo.GetGrain<ICounterGrain>("valuetask");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => grain.IncrementAsValueTaskAsync().AsTask()));
        Assert.Equal(200, await grain.GetCountAsValueTaskAsync());
    }

    [Fact]
    public async Task AGrainAwaitingItselfFailsAtOnceInsteadOfDeadlocking()
    {
        var grain = silo.GetGrain<ICounterGrain>("self");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.CallSelfAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("reentrant", e.Message);
        await grain.IncrementAsync();
    }

    [Fact]
    public async Task ACallCycleThroughAnotherGrainFailsInsteadOfDeadlocking()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => silo.GetGrain<ICounterGrain>("x").CallThroughAsync("y").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("counter/x", e.Message);
    }

    [Fact]
    public async Task ACallChainWithoutACycleSucceeds()
    {
        await silo.GetGrain<ICounterGrain>("z").IncrementAsync();
        // p → q → z: q calls back to z, not to p, so nothing waits on itself.
        Assert.Equal(1, await silo.GetGrain<ICounterGrain>("q").CallBackAsync("z"));
    }

    [Fact]
    public async Task TimerTicksRunAsTurnsThatNeverOverlapCalls()
    {
        var grain = silo.GetGrain<ICounterGrain>("timed");
        await grain.StartTimerAsync(TimeSpan.FromMilliseconds(5));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await grain.GetAsync()).Ticks < 5 && DateTime.UtcNow < deadline)
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.IncrementAsync()));
        var (_, overlaps, ticks) = await grain.GetAsync();
        Assert.True(ticks >= 5, $"only {ticks} timer ticks ran");
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void AnUnregisteredGrainInterfaceIsNamedInTheError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => silo.GetGrain<IUnregisteredGrain>("k"));
        Assert.Contains(nameof(IUnregisteredGrain), e.Message);
    }

    [Fact]
    public void AGrainInterfaceWithASynchronousMethodIsRejectedAtRegistration()
    {
        var e = Assert.Throws<ArgumentException>(() => new Hosting.SiloOptions().AddGrain<ISyncGrain, SyncGrain>());
        Assert.Contains("ISyncGrain.Count", e.Message);
    }

    [Fact]
    public async Task AFailedActivationFailsTheCallAndALaterCallTriesAgain()
    {
        var grain = silo.GetGrain<ICounterGrain>("bad-1");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.IncrementAsync());
        Assert.Contains("bad-1", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.IncrementAsync());
        Assert.False(silo.IsActive(silo.GrainIdOf<ICounterGrain>("bad-1")));
    }

    public interface IUnregisteredGrain : IGrainWithStringKey { Task PingAsync(); }
    public interface ISyncGrain : IGrainWithStringKey { int Count(); }
    public sealed class SyncGrain : Grain, ISyncGrain { public int Count() => 0; }
}
