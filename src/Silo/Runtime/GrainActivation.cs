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
/// A turn holds <c>turnGate</c> while it runs, whether the pump runs it or a caller runs it inline
/// (<see cref="TryRunInline{T}"/>, for calls marked <see cref="InlineWhenIdleAttribute"/> on an idle activation), so
/// turns never overlap either way.
/// </summary>
internal sealed class GrainActivation(SiloRuntime runtime, GrainRegistration registration, GrainId id) : IGrainContext
{
    readonly Channel<Turn> inbox = Channel.CreateUnbounded<Turn>(new UnboundedChannelOptions { SingleReader = true });
    readonly TaskCompletionSource deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<GrainTimer> timers = [];
    IReadOnlyList<IStateBinding> states = [];
    Grain? grain;
    readonly SemaphoreSlim turnGate = new(1, 1);
    int pendingTurns;
    long lastActiveTimestamp = Stopwatch.GetTimestamp();
    volatile bool deactivateOnIdle;
    volatile bool activated;       // OnActivateAsync has completed: inline turns may run
    volatile bool closing;         // deactivation was requested: no more inline turns

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

    /// <summary>Turns queued or running (inline ones included).</summary>
    internal int PendingTurns => Volatile.Read(ref pendingTurns);

    /// <summary>No turn queued or running, and the last call ended before <paramref name="age"/> ago.</summary>
    public bool IsIdleFor(TimeSpan age) =>
        PendingTurns == 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref lastActiveTimestamp)) >= age;

    /// <summary>Stop accepting turns; the pump finishes the queued ones, then deactivates.</summary>
    public void RequestDeactivation()
    {
        closing = true;
        inbox.Writer.TryComplete();
    }

    /// <summary>
    /// Runs the call now on the caller's thread if the activation is activated, idle (nothing queued or running)
    /// and not deactivating; otherwise returns false and the caller queues it. The turn holds the gate until its
    /// task completes, so a queued turn that arrives meanwhile waits for it, as it would for a pumped turn.
    /// </summary>
    public bool TryRunInline<T>(Func<Grain, Task<T>> call, CallChain? caller, out Task<T> result)
    {
        result = null!;
        if (!activated || closing || Volatile.Read(ref pendingTurns) != 0 || !turnGate.Wait(0)) return false;
        if (closing)
        {
            turnGate.Release();
            return false;
        }
        Interlocked.Increment(ref pendingTurns);
        var outer = CallChain.Current;
        CallChain.Current = CallChain.Push(caller, Id);
        Task<T> task;
        try { task = call(grain!); }
        catch (Exception e) { task = Task.FromException<T>(e); }
        finally { CallChain.Current = outer; }
        if (task.IsCompleted) EndTurn(countsAsActivity: true);
        else task = AwaitInlineTurnAsync(task);
        result = task;
        return true;
    }

    async Task<T> AwaitInlineTurnAsync<T>(Task<T> task)
    {
        try { return await task; }
        finally { EndTurn(countsAsActivity: true); }
    }

    /// <summary>Bookkeeping after every turn, pumped or inline: activity time, pending count, gate, idle deactivation.</summary>
    void EndTurn(bool countsAsActivity)
    {
        if (countsAsActivity) Volatile.Write(ref lastActiveTimestamp, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref pendingTurns);
        turnGate.Release();
        if (deactivateOnIdle) RequestDeactivation();
    }

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
            activated = true;
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
                await turnGate.WaitAsync();
                CallChain.Current = CallChain.Push(turn.Caller, Id);
                await turn.RunAsync(grain);
                EndTurn(turn.CountsAsActivity);
                turn.Deliver();
            }
        await turnGate.WaitAsync();   // an inline turn that began before deactivation was requested ends first
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
