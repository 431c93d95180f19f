using System.Data.Common;
using System.Globalization;
using Actors.Grains.Runtime;

namespace Actors.Silo.Storage;

/// <summary>Storage that needs a schema created before first use; the silo host does it at startup.</summary>
public interface IInitializableStorage
{
    Task InitializeAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The grain_state table over ADO.NET, shared by SQLite and PostgreSQL. Optimistic concurrency lives in the
/// statements themselves: a first write inserts only if no row exists, later writes update only
/// `WHERE version = @expected`; zero rows affected means another writer won, so nothing is changed.
/// The etag is the row's integer version as a string.
/// </summary>
public abstract class SqlGrainStorage : IGrainStorage, IInitializableStorage
{
    readonly Lazy<Task> schema;

    protected SqlGrainStorage() => schema = new Lazy<Task>(() => CreateSchemaAsync(CancellationToken.None));

    /// <summary>Table name as used in statements (schema-qualified where the engine has schemas).</summary>
    protected abstract string Table { get; }
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
    protected abstract Task CreateSchemaAsync(CancellationToken cancellationToken);

    public Task InitializeAsync(CancellationToken cancellationToken = default) => schema.Value.WaitAsync(cancellationToken);

    public async Task<StoredState> ReadAsync(string grainType, string grainKey, string stateName, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT payload, version FROM {Table} WHERE grain_type = @t AND grain_key = @k AND state_name = @n",
            grainType, grainKey, stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return StoredState.Absent;
        string? payload = reader.IsDBNull(0) ? null : reader.GetString(0);
        return new StoredState(payload, reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
    }

    public Task<string> WriteAsync(string grainType, string grainKey, string stateName, string payload, string? expectedEtag,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return SetAsync(grainType, grainKey, stateName, payload, expectedEtag, cancellationToken);
    }

    public Task<string> ClearAsync(string grainType, string grainKey, string stateName, string? expectedEtag,
        CancellationToken cancellationToken = default) =>
        SetAsync(grainType, grainKey, stateName, null, expectedEtag, cancellationToken);

    async Task<string> SetAsync(string grainType, string grainKey, string stateName, string? payload, string? expectedEtag,
        CancellationToken cancellationToken)
    {
        long? expected = expectedEtag is null ? null
            : long.TryParse(expectedEtag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentException($"etag '{expectedEtag}' is not one this storage issued (an integer version)", nameof(expectedEtag));
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = expected is null
            ? Command(connection, $"INSERT INTO {Table} (grain_type, grain_key, state_name, payload, version, updated_at) " +
                "VALUES (@t, @k, @n, @p, 1, @u) ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING",
                grainType, grainKey, stateName)
            : Command(connection, $"UPDATE {Table} SET payload = @p, version = version + 1, updated_at = @u " +
                "WHERE grain_type = @t AND grain_key = @k AND state_name = @n AND version = @v",
                grainType, grainKey, stateName);
        Add(command, "@p", (object?)payload ?? DBNull.Value);
        Add(command, "@u", DateTime.UtcNow);
        if (expected is not null) Add(command, "@v", expected.Value);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            return ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        var current = await ReadAsync(grainType, grainKey, stateName, cancellationToken);
        throw new InconsistentStateException(
            $"stale write of state '{stateName}' of {grainType}/{grainKey}: expected version {expectedEtag ?? "none"}, " +
            $"stored version is {current.Etag ?? "none"}");
    }

    static DbCommand Command(DbConnection connection, string sql, string grainType, string grainKey, string stateName)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "@t", grainType);
        Add(command, "@k", grainKey);
        Add(command, "@n", stateName);
        return command;
    }

    static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
