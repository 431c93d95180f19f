using System.Text.Json;
using Actors.Grains.Concepts;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Grains.Runtime;

namespace Actors.Grains.Tests;

/// <summary>
/// Test double of persistent storage: state round-trips through JSON on every write and read (so persistence
/// tests also prove the state is serialisable), with an ETag check like the real providers.
/// </summary>
public sealed class InMemoryStore
{
    public readonly Dictionary<string, (string Json, int Version)> Records = [];
    public int Writes;
}

public sealed class InMemoryPersistentState<T>(InMemoryStore store, string key) : IPersistentState<T> where T : class, new()
{
    public T State { get; set; } = new();
    public string? Etag { get; private set; }
    public bool RecordExists => Etag is not null;

    public Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        if (store.Records.TryGetValue(key, out var r)) { State = JsonSerializer.Deserialize<T>(r.Json)!; Etag = r.Version.ToString(); }
        else { State = new(); Etag = null; }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        store.Records.TryGetValue(key, out var r);
        if ((Etag ?? "0") != (store.Records.ContainsKey(key) ? r.Version.ToString() : "0"))
            throw new InconsistentStateException($"{key}: stored version {r.Version}, writer read {Etag}");
        store.Records[key] = (JsonSerializer.Serialize(State), r.Version + 1);
        Etag = (r.Version + 1).ToString();
        store.Writes++;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        store.Records.Remove(key); Etag = null; State = new();
        return Task.CompletedTask;
    }
}

/// <summary>
/// A minimal in-process host for grain unit tests: activates grains directly on first use (reading state first),
/// keeps timers so tests fire them by hand, and deactivates on request (running OnDeactivateAsync). No
/// scheduling: tests call one grain at a time.
/// </summary>
public sealed class TestGrainHost(InMemoryStore? store = null, LatentGrainOptions? latentOptions = null) : IGrainFactory
{
    public readonly InMemoryStore Store = store ?? new InMemoryStore();
    readonly Dictionary<(Type, string), Grain> active = [];
    public readonly List<TestTimer> Timers = [];

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        if (active.TryGetValue((typeof(TGrain), key), out var g)) return (TGrain)(object)g;
        Grain grain = typeof(TGrain).Name switch
        {
            nameof(ILatentGrain) => new LatentGrain(State<LatentState>("latent", key), latentOptions),
            nameof(ISaeGrain) => new SaeGrain(State<SaeState>("sae", key)),
            nameof(ICorpusGrain) => new CorpusGrain(State<CorpusState>("corpus", key)),
            nameof(IRegistryGrain) => new RegistryGrain(State<RegistryState>("registry", key)),
            nameof(IConceptGrain) => new ConceptGrain(State<ConceptState>("concept", key)),
            nameof(ILatentIndexGrain) => new LatentIndexGrain(State<LatentIndexState>("latent-index", key)),
            nameof(IModelGrain) => new ModelGrain(State<ModelState>("model", key)),
            _ => throw new ArgumentException($"no grain class for {typeof(TGrain).Name}"),
        };
        grain.Bind(new Context(this, key, typeof(TGrain)));
        grain.OnActivateAsync(default).GetAwaiter().GetResult();
        active[(typeof(TGrain), key)] = grain;
        return (TGrain)(object)grain;
    }

    InMemoryPersistentState<T> State<T>(string name, string key) where T : class, new()
    {
        var s = new InMemoryPersistentState<T>(Store, $"{name}:{key}");
        s.ReadStateAsync().GetAwaiter().GetResult();
        return s;
    }

    public async Task DeactivateAllAsync()
    {
        // Deactivating a latent flushes it, which may activate its index partition: repeat until none is left.
        while (active.Count > 0)
        {
            var batch = active.ToList();
            foreach (var (id, g) in batch) { await g.OnDeactivateAsync(default); active.Remove(id); }
        }
        Timers.Clear();
    }

    /// <summary>Drops every activation without running deactivation: what a process crash does.</summary>
    public void Crash() { active.Clear(); Timers.Clear(); }

    public async Task FireTimersAsync() { foreach (var t in Timers.Where(t => !t.Disposed).ToList()) await t.Callback(default); }

    public sealed class TestTimer(Func<CancellationToken, Task> callback, TimeSpan period) : IDisposable
    {
        public Func<CancellationToken, Task> Callback => callback;
        public TimeSpan Period => period;
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    sealed class Context(TestGrainHost host, string key, Type type) : IGrainContext
    {
        public string Key => key;
        public IGrainFactory GrainFactory => host;
        public void DeactivateOnIdle() => host.active.Remove((type, key));
        public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        {
            var t = new TestTimer(callback, period);
            host.Timers.Add(t);
            return t;
        }
    }
}
