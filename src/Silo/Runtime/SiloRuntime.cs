using System.Collections.Concurrent;
using Actors.Grains.Runtime;
using Actors.Silo.Hosting;
using Actors.Silo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Silo.Runtime;

/// <summary>
/// The grain runtime of one process: hands out grain references, activates a grain on its first call,
/// runs its calls one turn at a time, and deactivates it when idle (state written first).
/// Not reentrant: a grain that awaits a call to itself, directly or through other grains, gets an
/// InvalidOperationException for that call instead of a deadlock (see <see cref="CallChain"/>).
/// </summary>
public sealed class SiloRuntime : IGrainFactory, IAsyncDisposable, IDisposable
{
    readonly ConcurrentDictionary<GrainId, GrainActivation> activations = new();
    readonly Dictionary<Type, GrainRegistration> byInterface;
    readonly Dictionary<string, GrainRegistration> byGrainType;
    readonly ILogger logger;
    readonly Timer collector;
    volatile bool stopped;

    public SiloRuntime(SiloOptions options, IGrainStorage storage, IServiceProvider services, ILogger<SiloRuntime>? logger = null)
    {
        Options = options;
        Storage = storage;
        Services = services;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        byInterface = options.Grains.ToDictionary(r => r.Interface);
        byGrainType = options.Grains.GroupBy(r => r.GrainType).ToDictionary(g => g.Key, g => g.First());
        collector = new Timer(_ => CollectIdle(), null, options.CollectionInterval, options.CollectionInterval);
    }

    public SiloOptions Options { get; }
    public IGrainStorage Storage { get; }
    public IServiceProvider Services { get; }
    public int ActivationCount => activations.Count;

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey =>
        GrainProxy.Create<TGrain>(this, GrainIdOf<TGrain>(key));

    public GrainId GrainIdOf<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!byInterface.TryGetValue(typeof(TGrain), out var registration))
            throw new InvalidOperationException(
                $"no grain class is registered for {typeof(TGrain).Name}; call options.AddGrain<{typeof(TGrain).Name}, TGrain>()");
        return new GrainId(registration.GrainType, key);
    }

    public bool IsActive(GrainId id) => activations.ContainsKey(id);

    /// <summary>Turns queued or running on the grain's activation; 0 when it is not active.</summary>
    internal int PendingTurnsOf(GrainId id) => activations.TryGetValue(id, out var a) ? a.PendingTurns : 0;

    /// <summary>
    /// Queues a call as a turn of the grain's activation, activating it if needed. With <paramref name="inlineWhenIdle"/>
    /// (<see cref="InlineWhenIdleAttribute"/>) the turn runs on the caller's thread when the activation is idle.
    /// </summary>
    internal Task<T> InvokeAsync<T>(GrainId id, Func<Grain, Task<T>> call, bool inlineWhenIdle = false)
    {
        var caller = CallChain.Current;
        if (CallChain.Contains(caller, id))
            return Task.FromException<T>(new InvalidOperationException(
                $"reentrant call to {id} from its own turn (directly or through other grains) would deadlock; turns are not reentrant"));
        var activation = GetOrActivate(id);
        if (inlineWhenIdle && activation.TryRunInline(call, caller, out var inline)) return inline;
        var turn = new CallTurn<T>(call, caller);
        return activation.TryEnqueue(turn) ? turn.Task : RetryAfterDeactivationAsync(activation, turn);
    }

    async Task<T> RetryAfterDeactivationAsync<T>(GrainActivation deactivating, CallTurn<T> turn)
    {
        // The old activation is saving state; a new one must read what it wrote, so wait for it.
        while (true)
        {
            await deactivating.Deactivated;
            deactivating = GetOrActivate(deactivating.Id);
            if (deactivating.TryEnqueue(turn)) return await turn.Task;
        }
    }

    GrainActivation GetOrActivate(GrainId id)
    {
        if (activations.TryGetValue(id, out var existing)) return existing;
        if (stopped) throw new InvalidOperationException($"the silo is stopped; cannot activate {id}");
        var created = new GrainActivation(this, byGrainType[id.GrainType], id);
        var actual = activations.GetOrAdd(id, created);
        if (ReferenceEquals(actual, created)) created.Start();
        return actual;
    }

    internal void Remove(GrainActivation activation) =>
        activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));

    /// <summary>Deactivates one grain after its queued turns (state written); completes when it is gone.</summary>
    public Task ForceDeactivateAsync<TGrain>(string key) where TGrain : IGrainWithStringKey =>
        ForceDeactivateAsync(GrainIdOf<TGrain>(key));

    public Task ForceDeactivateAsync(GrainId id)
    {
        if (!activations.TryGetValue(id, out var activation)) return Task.CompletedTask;
        activation.RequestDeactivation();
        return activation.Deactivated;
    }

    public Task DeactivateAllAsync() => Task.WhenAll(activations.Keys.Select(ForceDeactivateAsync));

    /// <summary>Refuses new activations, then deactivates every grain (writing state).</summary>
    public async Task StopAsync()
    {
        stopped = true;
        await collector.DisposeAsync();
        await DeactivateAllAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>For containers disposed synchronously; blocks until every grain has written its state.</summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    void CollectIdle()
    {
        foreach (var activation in activations.Values)
            if (activation.IsIdleFor(Options.CollectionAge)) activation.RequestDeactivation();
    }

    internal void LogTimerFailure(GrainId id, Exception e) => logger.LogWarning(e, "timer of grain {Grain} failed", id);

    internal void LogDeactivationFailure(GrainId id, Exception e) =>
        logger.LogError(e, "deactivation of grain {Grain} failed; unsaved state may be lost", id);
}
