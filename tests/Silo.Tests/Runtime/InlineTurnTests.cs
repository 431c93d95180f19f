using Actors.Grains.Runtime;

namespace Actors.Silo.Tests.Runtime;

/// <summary>Calls marked <see cref="InlineWhenIdleAttribute"/>: run on the caller's thread when idle, never overlapping a turn.</summary>
public sealed class InlineTurnTests : StartedSiloTests
{
    /// <summary>Runs <paramref name="call"/> on a thread of its own (never a pool thread a pump could use) and waits.</summary>
    static (T Result, int CallerThread) OnOwnThread<T>(Func<Task<T>> call)
    {
        T result = default!; int thread = 0; Exception? error = null;
        var t = new Thread(() =>
        {
            thread = Environment.CurrentManagedThreadId;
            try { result = call().GetAwaiter().GetResult(); } catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error is not null) throw error;
        return (result, thread);
    }

    [Fact]
    public async Task AMarkedCallOnAnIdleGrainRunsOnTheCallersThreadAndAnUnmarkedOneDoesNot()
    {
        var grain = silo.GetGrain<ICounterGrain>("inline");
        await grain.IncrementAsync();   // activated and idle
        var (inlineThread, caller) = OnOwnThread(grain.ThreadInlineAsync);
        Assert.Equal(caller, inlineThread);
        var (queuedThread, caller2) = OnOwnThread(grain.ThreadQueuedAsync);
        Assert.NotEqual(caller2, queuedThread);
    }

    [Fact]
    public async Task InlineAndQueuedTurnsNeverOverlapAndLoseNoUpdate()
    {
        const int callers = 40, callsEach = 100;
        await silo.GetGrain<ICounterGrain>("mixed").IncrementAsync();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var grain = silo.GetGrain<ICounterGrain>("mixed");
            for (int i = 0; i < callsEach; i++)
                await ((c + i) % 2 == 0 ? grain.IncrementInlineAsync() : grain.IncrementAsync());
        }))).WaitAsync(TimeSpan.FromSeconds(60));
        var (count, overlaps, _) = await silo.GetGrain<ICounterGrain>("mixed").GetAsync();
        Assert.Equal(1 + callers * callsEach, count);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task AMarkedCallWaitsForARunningTurnAndThenRunsOnTheActivation()
    {
        var grain = silo.GetGrain<ICounterGrain>("busy");
        await grain.IncrementAsync();
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = grain.WaitForSignalAsync(signal);
        var read = Task.Run(() => OnOwnThread(grain.ThreadInlineAsync));
        // Wait until the marked call is queued behind the running turn (a fixed delay let a slow-starting caller
        // find the grain idle after the signal and run inline).
        var id = silo.GrainIdOf<ICounterGrain>("busy");
        await Poll.UntilAsync(() => silo.PendingTurnsOf(id) >= 2, TimeSpan.FromSeconds(10), everyMs: 5);
        Assert.Equal(2, silo.PendingTurnsOf(id));
        await Task.Delay(50);
        Assert.False(read.IsCompleted, "the marked call ran while another turn was running");
        signal.SetResult();
        await running;
        var (thread, caller) = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(caller, thread);
    }

    [Fact]
    public async Task AReentrantMarkedCallIsRefusedInsteadOfDeadlocking()
    {
        var grain = silo.GetGrain<ICounterGrain>("self-inline");
        await grain.IncrementAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.CallSelfInlineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("reentrant", error.Message);
    }

    [Fact]
    public async Task AfterDeactivationAMarkedCallActivatesTheGrainAfresh()
    {
        var grain = silo.GetGrain<ICounterGrain>("cycle");
        var first = await grain.GetActivationIdInlineAsync();
        Assert.Equal(first, await grain.GetActivationIdInlineAsync());
        await silo.ForceDeactivateAsync<ICounterGrain>("cycle");
        var second = await grain.GetActivationIdInlineAsync();
        Assert.NotEqual(first, second);
        var log = fixture.LogOf(silo).Events.ToArray();
        Assert.True(Array.IndexOf(log, "deactivate cycle") < Array.LastIndexOf(log, "activate cycle"));
    }
}
