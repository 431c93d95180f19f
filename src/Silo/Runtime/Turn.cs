using Actors.Grains.Runtime;

namespace Actors.Silo.Runtime;

/// <summary>One unit of work an activation runs to completion before starting the next.</summary>
internal abstract class Turn(CallChain? caller)
{
    /// <summary>The chain of the code that queued this turn (for cycle detection in nested calls).</summary>
    public CallChain? Caller { get; } = caller;

    /// <summary>Whether this turn keeps the activation alive; timer ticks do not (as in Orleans).</summary>
    public virtual bool CountsAsActivity => true;

    /// <summary>Runs the turn; never throws: failures go to whoever awaits the turn, at <see cref="Deliver"/>.</summary>
    public abstract Task RunAsync(Grain grain);

    /// <summary>Hands the outcome to whoever awaits the turn. The pump calls it after the turn has ended (activation
    /// idle again), so a caller that goes on with another call finds the activation free, e.g. for an inline turn.</summary>
    public virtual void Deliver() { }

    /// <summary>The activation could not run this turn (activation failed).</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A grain method call whose result (or exception) is delivered to the caller's task.</summary>
internal sealed class CallTurn<T>(Func<Grain, Task<T>> call, CallChain? caller) : Turn(caller)
{
    // Callers' continuations must not run inline on the activation's pump, where they would delay the next turn.
    readonly TaskCompletionSource<T> result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => result.Task;

    T value = default!;
    Exception? error;

    public override async Task RunAsync(Grain grain)
    {
        try { value = await call(grain); }
        catch (Exception e) { error = e; }
    }

    public override void Deliver()
    {
        if (error is OperationCanceledException canceled) result.TrySetCanceled(canceled.CancellationToken);
        else if (error is not null) result.TrySetException(error);
        else result.TrySetResult(value);
    }

    public override void Fail(Exception error) => result.TrySetException(error);
}

/// <summary>A timer tick: runs the timer's callback as a turn of its grain.</summary>
internal sealed class TimerTurn(GrainTimer timer) : Turn(null)
{
    public override bool CountsAsActivity => false;
    public override Task RunAsync(Grain grain) => timer.TickAsync();
    public override void Fail(Exception error) { }
}
