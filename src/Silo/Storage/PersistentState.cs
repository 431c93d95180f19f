using System.Text.Json;
using Actors.Grains.Runtime;

namespace Actors.Silo.Storage;

/// <summary>What the runtime needs from a grain's state beyond IPersistentState: read at activation, save at deactivation.</summary>
internal interface IStateBinding
{
    Task ReadStateAsync(CancellationToken cancellationToken);
    /// <summary>Writes only if the state's JSON differs from what was last read or written.</summary>
    Task WriteIfChangedAsync(CancellationToken cancellationToken);
}

/// <summary>One named state of one grain, stored as JSON in an <see cref="IGrainStorage"/> with etag checks.</summary>
public sealed class PersistentState<TState>(IGrainStorage storage, string grainType, string grainKey, string stateName)
    : IPersistentState<TState>, IStateBinding where TState : class, new()
{
    TState state = new();
    string? persistedJson; // JSON of the state as storage holds it; null before the first read

    public TState State
    {
        get => state;
        set => state = value ?? throw new ArgumentNullException(nameof(value), $"state '{stateName}' of {grainType}/{grainKey} cannot be null");
    }

    public string? Etag { get; private set; }
    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(grainType, grainKey, stateName, cancellationToken);
        try
        {
            state = stored.Payload is null ? new TState() : GrainStateJson.Deserialize<TState>(stored.Payload, Describe());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored state {Describe()} cannot be read as {typeof(TState).Name}: {e.Message}", e);
        }
        Etag = stored.Etag;
        RecordExists = stored.Payload is not null;
        persistedJson = GrainStateJson.Serialize(state);
    }

    public Task WriteStateAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(GrainStateJson.Serialize(state), cancellationToken);

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        Etag = await storage.ClearAsync(grainType, grainKey, stateName, Etag, cancellationToken);
        state = new TState();
        RecordExists = false;
        persistedJson = GrainStateJson.Serialize(state);
    }

    async Task IStateBinding.ReadStateAsync(CancellationToken cancellationToken) => await ReadStateAsync(cancellationToken);

    async Task IStateBinding.WriteIfChangedAsync(CancellationToken cancellationToken)
    {
        string json = GrainStateJson.Serialize(state);
        if (json != persistedJson) await WriteAsync(json, cancellationToken);
    }

    async Task WriteAsync(string json, CancellationToken cancellationToken)
    {
        Etag = await storage.WriteAsync(grainType, grainKey, stateName, json, Etag, cancellationToken);
        RecordExists = true;
        persistedJson = json;
    }

    string Describe() => $"'{stateName}' of {grainType}/{grainKey}";
}
