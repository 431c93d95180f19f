namespace Actors.Silo.Runtime;

/// <summary>
/// A grain timer. Each due time queues one tick as a turn of the grain, so the callback never overlaps a
/// method call. While a tick is still queued or running, further due times are skipped rather than piled up.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    readonly GrainActivation activation;
    readonly Func<CancellationToken, Task> callback;
    readonly CancellationTokenSource disposed = new();
    readonly Timer timer;
    int tickQueued;

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "due time must be >= 0");
        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(period), period, "period must be > 0 or Timeout.InfiniteTimeSpan");
        this.activation = activation;
        this.callback = callback;
        timer = new Timer(_ => OnDue(), null, dueTime, period);
    }

    void OnDue()
    {
        if (disposed.IsCancellationRequested || Interlocked.Exchange(ref tickQueued, 1) == 1) return;
        if (!activation.TryEnqueue(new TimerTurn(this))) Volatile.Write(ref tickQueued, 0);
    }

    /// <summary>Runs inside the grain's turn. A failing callback does not stop the timer or the grain.</summary>
    public async Task TickAsync()
    {
        try
        {
            if (!disposed.IsCancellationRequested) await callback(disposed.Token);
        }
        catch (Exception e) { activation.Runtime.LogTimerFailure(activation.Id, e); }
        finally { Volatile.Write(ref tickQueued, 0); }
    }

    public void Dispose()
    {
        if (disposed.IsCancellationRequested) return;
        disposed.Cancel();
        timer.Dispose();
        activation.RemoveTimer(this);
    }
}
