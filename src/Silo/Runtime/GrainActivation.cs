using System.Diagnostics;
using System.Threading.Channels;
using Actors.Grains.Runtime;
using Actors.Silo.Storage;

namespace Actors.Silo.Runtime;

/// <summary>
/// One live instance of a grain. Its single reader (the pump) runs queued turns one at a time in arrival
/// order, awaiting each turn (including all its async continuations) before the next starts; grain code
/// therefore needs no locks. Deactivation completes the inbox: turns already accepted still run, later
/// calls see TryEnqueue fail and wait for <see cref="Deactivated"/> before activating the grain afresh.
/// </summary>
internal sealed class GrainActivation(SiloRuntime runtime, GrainRegistration registration, GrainId id) : IGrainContext
{
    readonly Channel<Turn> inbox = Channel.CreateUnbounded<Turn>(new UnboundedChannelOptions { SingleReader = true });
    readonly TaskCompletionSource deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<GrainTimer> timers = [];
    IReadOnlyList<IStateBinding> states = [];
    Grain? grain;
    int pendingTurns;
    long lastActiveTimestamp = Stopwatch.GetTimestamp();
    volatile bool deactivateOnIdle;

    public GrainId Id { get; } = id;
    public SiloRuntime Runtime { get; } = runtime;
    public string Key => Id.Key;
    public IGrainFactory GrainFactory => Runtime;
    /// <summary>Completes once state is written and the activation is removed from the silo.</summary>
    public Task Deactivated => deactivated.Task;

    /// <summary>Starts the pump without the first caller's async-locals, which must not leak into every later turn.</summary>
    public void Start()
    {
        using (ExecutionContext.SuppressFlow()) _ = Task.Run(PumpAsync);
    }

    public bool TryEnqueue(Turn turn)
    {
        Interlocked.Increment(ref pendingTurns);
        if (inbox.Writer.TryWrite(turn)) return true;
        Interlocked.Decrement(ref pendingTurns);
        return false;
    }

    /// <summary>No turn queued or running, and the last call ended before <paramref name="age"/> ago.</summary>
    public bool IsIdleFor(TimeSpan age) =>
        Volatile.Read(ref pendingTurns) == 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref lastActiveTimestamp)) >= age;

    /// <summary>Stop accepting turns; the pump finishes the queued ones, then deactivates.</summary>
    public void RequestDeactivation() => inbox.Writer.TryComplete();

    public void DeactivateOnIdle() => deactivateOnIdle = true;

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (timers) timers.Add(timer);
        return timer;
    }

    internal void RemoveTimer(GrainTimer timer) { lock (timers) timers.Remove(timer); }

    async Task PumpAsync()
    {
        CallChain.Current = CallChain.Push(null, Id);
        try
        {
            (grain, states) = GrainActivator.Create(registration, Id, Runtime);
            grain.Bind(this);
            foreach (var state in states) await state.ReadStateAsync(CancellationToken.None);
            await grain.OnActivateAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The calls that triggered this activation get the failure; a later call tries afresh.
            inbox.Writer.TryComplete();
            while (inbox.Reader.TryRead(out var turn)) turn.Fail(e);
            Runtime.Remove(this);
            deactivated.TrySetResult();
            return;
        }
        var reader = inbox.Reader;
        while (await reader.WaitToReadAsync())
            while (reader.TryRead(out var turn))
            {
                CallChain.Current = CallChain.Push(turn.Caller, Id);
                await turn.RunAsync(grain);
                if (turn.CountsAsActivity) Volatile.Write(ref lastActiveTimestamp, Stopwatch.GetTimestamp());
                Interlocked.Decrement(ref pendingTurns);
                if (deactivateOnIdle) RequestDeactivation();
            }
        await DeactivateAsync(grain);
    }

    /// <summary>
    /// Timers stop, OnDeactivateAsync runs, then changed state is written; state changed in OnDeactivateAsync
    /// is therefore saved too. Failures are logged: deactivation always completes so the grain can come back.
    /// </summary>
    async Task DeactivateAsync(Grain active)
    {
        CallChain.Current = CallChain.Push(null, Id);
        GrainTimer[] running;
        lock (timers) running = [.. timers];
        foreach (var t in running) t.Dispose();
        try { await active.OnDeactivateAsync(CancellationToken.None); }
        catch (Exception e) { Runtime.LogDeactivationFailure(Id, e); }
        if (Runtime.Options.WriteStateOnDeactivate)
            foreach (var state in states)
                try { await state.WriteIfChangedAsync(CancellationToken.None); }
                catch (Exception e) { Runtime.LogDeactivationFailure(Id, e); }
        Runtime.Remove(this);
        deactivated.TrySetResult();
    }
}
