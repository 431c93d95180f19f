namespace Actors.Grains.Runtime;

/// <summary>What the runtime gives an activation: its key, other grains, timers and deactivation.</summary>
public interface IGrainContext
{
    string Key { get; }
    IGrainFactory GrainFactory { get; }
    /// <summary>Ask the runtime to deactivate this activation once the current turn ends.</summary>
    void DeactivateOnIdle();
    /// <summary>A timer whose callback runs as a turn of this grain (never concurrently with another turn).</summary>
    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);
}

/// <summary>
/// Base class of grain implementations. The runtime binds the context before
/// <see cref="OnActivateAsync"/>; every interface method then runs one turn at a time.
/// </summary>
public abstract class Grain
{
    IGrainContext? context;

    public IGrainContext Context => context ?? throw new InvalidOperationException("grain is not activated");
    public string GrainKey => Context.Key;
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>Called once by the runtime before activation.</summary>
    public void Bind(IGrainContext grainContext)
    {
        if (context is not null) throw new InvalidOperationException("grain context is already bound");
        context = grainContext;
    }

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public virtual Task OnDeactivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();
}
