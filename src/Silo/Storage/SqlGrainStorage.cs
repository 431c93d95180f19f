using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Silo.Storage;

/// <summary>
/// Grain state in one table over ADO.NET, shared by SQLite and PostgreSQL; an Orleans <see cref="IGrainStorage"/>.
/// State is stored in Orleans's binary serialization (the [Id]s of the contract types keep it readable across
/// versions that add fields), which is several times smaller and faster than JSON for float-heavy sketches.
/// Optimistic concurrency lives in the statements themselves: a first write inserts only if no row exists, later
/// writes update only `WHERE version = @expected`; zero rows affected means another writer won, so nothing is
/// changed and the writer gets <see cref="InconsistentStateException"/>. The etag is the row's integer version.
/// </summary>
public abstract class SqlGrainStorage(Serializer serializer) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    Task? schema;
    readonly Lock schemaLock = new();
    // One specialized serializer per state type, resolved once: Serializer's generic methods resolve the type's
    // codec on every call, and for our state types that constructed a new codec (and its field codecs) through
    // ActivatorUtilities each time, a third of the serialization CPU of a checkpoint that stores 49,152 latents.
    readonly ConcurrentDictionary<Type, object> typed = new();

    Serializer<T> SerializerOf<T>() => (Serializer<T>)typed.GetOrAdd(typeof(T), static (_, s) => s.GetSerializer<T>(), serializer);

    /// <summary>Table name as used in statements (schema-qualified where the engine has schemas).</summary>
    protected const string TableName = "grain_records";
    protected abstract string Table { get; }
    protected abstract Task CreateSchemaAsync(CancellationToken cancellationToken);
    /// <summary>Runs one unit of database work (the engine decides on connections and concurrency).</summary>
    protected abstract Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Creates the table once; a failure is retried by the next call instead of being cached.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        lock (schemaLock)
        {
            if (schema is null || schema.IsFaulted || schema.IsCanceled) schema = CreateSchemaAsync(CancellationToken.None);
            return schema.WaitAsync(cancellationToken);
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.RuntimeStorageServices, InitializeAsync);

    // ---- Orleans IGrainStorage: (de)serialization around the record operations below ----
    // The awaits below do not come back to the calling grain's scheduler (ConfigureAwait(false)): the grain awaits the
    // whole operation, and each hop back through its work queue cost a scheduled turn and a continuation object per
    // read and write, tens of thousands of them in a checkpoint that activates and stores every touched latent.

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (type, key) = Address(grainId);
        var stored = await Guard("read", type, key, stateName, () => ReadAsync(type, key, stateName)).ConfigureAwait(false);
        T? state = default;
        if (stored.Payload is not null)
        {
            try { state = SerializerOf<T>().Deserialize(stored.Payload); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new GrainStorageException($"stored state '{stateName}' of {type}/{key} cannot be read as {typeof(T).Name}: {e.Message}");
            }
        }
        grainState.State = state ?? Activator.CreateInstance<T>();
        grainState.ETag = stored.Etag;
        grainState.RecordExists = stored.Payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (type, key) = Address(grainId);
        byte[] payload = SerializerOf<T>().SerializeToArray(grainState.State);
        grainState.ETag = await Guard("write", type, key, stateName, () => WriteAsync(type, key, stateName, payload, grainState.ETag)).ConfigureAwait(false);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (type, key) = Address(grainId);
        grainState.ETag = await Guard("clear", type, key, stateName, () => ClearAsync(type, key, stateName, grainState.ETag)).ConfigureAwait(false);
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    static (string Type, string Key) Address(GrainId grainId) =>
        (TypeNames.GetOrAdd(grainId.Type, static t => t.ToString()!), grainId.Key.ToString()!);

    // A grain type's name is the same string for every grain of the type: made once, not on every read and write.
    static readonly ConcurrentDictionary<GrainType, string> TypeNames = new();

    /// <summary>Driver errors become <see cref="GrainStorageException"/>s naming the grain; etag conflicts pass through.</summary>
    static async Task<T> Guard<T>(string operation, string type, string key, string stateName, Func<Task<T>> work)
    {
        try { return await work().ConfigureAwait(false); }
        catch (DbException e)
        {
            throw new GrainStorageException($"{operation} of state '{stateName}' of {type}/{key} failed: {e.Message}");
        }
    }

    // ---- Records: the storage contract, payloads as bytes ----

    public async Task<StoredState> ReadAsync(string grainType, string grainKey, string stateName, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async connection =>
        {
            var command = Command(connection, Sql.Select, grainType, grainKey, stateName);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken)) return StoredState.Absent;
                byte[]? payload = reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0);
                return new StoredState(payload, reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
            }
            finally { await ReleaseCommandAsync(command); }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the payload if the current etag equals <paramref name="expectedEtag"/> (null: no record yet); returns the new etag.</summary>
    public Task<string> WriteAsync(string grainType, string grainKey, string stateName, byte[] payload, string? expectedEtag,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return SetAsync(grainType, grainKey, stateName, payload, expectedEtag, cancellationToken);
    }

    /// <summary>Removes the payload under the same etag check; returns the new etag.</summary>
    public Task<string> ClearAsync(string grainType, string grainKey, string stateName, string? expectedEtag,
        CancellationToken cancellationToken = default) =>
        SetAsync(grainType, grainKey, stateName, null, expectedEtag, cancellationToken);

    async Task<string> SetAsync(string grainType, string grainKey, string stateName, byte[]? payload, string? expectedEtag,
        CancellationToken cancellationToken)
    {
        long? expected = expectedEtag is null ? null
            : long.TryParse(expectedEtag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentException($"etag '{expectedEtag}' is not one this storage issued (an integer version)", nameof(expectedEtag));
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        bool written = await RunAsync(async connection =>
        {
            var command = Command(connection, expected is null ? Sql.Insert : Sql.Update, grainType, grainKey, stateName);
            Set(command, "@p", (object?)payload ?? DBNull.Value);
            Set(command, "@u", DateTime.UtcNow);
            if (expected is not null) Set(command, "@v", expected.Value);
            try { return await command.ExecuteNonQueryAsync(cancellationToken) == 1; }
            finally { await ReleaseCommandAsync(command); }
        }, cancellationToken).ConfigureAwait(false);
        if (written) return ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        var current = await ReadAsync(grainType, grainKey, stateName, cancellationToken).ConfigureAwait(false);
        throw new InconsistentStateException(
            $"stale write of state '{stateName}' of {grainType}/{grainKey}: expected version {expectedEtag ?? "none"}, " +
            $"stored version is {current.Etag ?? "none"}", current.Etag, expectedEtag);
    }

    /// <summary>The record statements, built once: a prepared statement is found by its text on every call.</summary>
    Statements Sql => statements ??= new Statements(Table);
    Statements? statements;

    sealed class Statements(string table)
    {
        public readonly string Select = $"SELECT payload, version FROM {table} WHERE grain_type = @t AND grain_key = @k AND state_name = @n";
        public readonly string Insert = $"INSERT INTO {table} (grain_type, grain_key, state_name, payload, version, updated_at) " +
            "VALUES (@t, @k, @n, @p, 1, @u) ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING";
        public readonly string Update = $"UPDATE {table} SET payload = @p, version = version + 1, updated_at = @u " +
            "WHERE grain_type = @t AND grain_key = @k AND state_name = @n AND version = @v";
    }

    /// <summary>A command for <paramref name="sql"/>; <see cref="ReleaseCommandAsync"/> hands it back. An engine that keeps
    /// one connection may reuse one prepared command per statement, parameters included (<see cref="Set"/> gives them
    /// their values).</summary>
    protected virtual DbCommand CreateCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    protected virtual ValueTask ReleaseCommandAsync(DbCommand command) => command.DisposeAsync();

    DbCommand Command(DbConnection connection, string sql, string grainType, string grainKey, string stateName)
    {
        var command = CreateCommand(connection, sql);
        Set(command, "@t", grainType);
        Set(command, "@k", grainKey);
        Set(command, "@n", stateName);
        return command;
    }

    /// <summary>Gives a statement's parameter its value, adding the parameter the first time.</summary>
    static void Set(DbCommand command, string name, object value)
    {
        int i = command.Parameters.IndexOf(name);
        if (i >= 0) { command.Parameters[i].Value = value; return; }
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
