using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using Orleans.Serialization;

namespace Actors.Silo.Storage;

/// <summary>
/// Grain state in PostgreSQL (the cluster): the same table, in a configurable schema; operations are group-committed
/// (<see cref="GroupCommit"/>) on pooled connections.
/// </summary>
public sealed partial class PostgresGrainStorage : SqlGrainStorage, IAsyncDisposable
{
    readonly NpgsqlDataSource dataSource;

    /// <summary>Pooled connections per storage unless the connection string sets "Maximum Pool Size".</summary>
    public const int DefaultMaxPoolSize = 16;

    public PostgresGrainStorage(string connectionString, Serializer serializer, string schema = "public") : base(serializer)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!Identifier().IsMatch(schema))
            throw new ArgumentException($"schema '{schema}' must be a plain lower-case identifier ([a-z_][a-z0-9_]*)", nameof(schema));
        Schema = schema;
        // A checkpoint flushes thousands of grains at once; without a cap each silo would open up to Npgsql's
        // default 100 connections and two processes exhaust the server's default max_connections (100).
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The parsed keys, under Npgsql's canonical names whichever synonym was written.
        var given = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("Maximum Pool Size")) builder.MaxPoolSize = DefaultMaxPoolSize;
        if (!given.Contains("Max Auto Prepare")) builder.MaxAutoPrepare = AutoPreparedStatements;
        dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        commits = new GroupCommit(async ct => await dataSource.OpenConnectionAsync(ct), c => c.DisposeAsync(), "BEGIN", CommitWorkers);
    }

    /// <summary>
    /// Statements Npgsql prepares on each pooled connection once they repeat (unless the connection string sets "Max Auto
    /// Prepare"): the record statements are the same three with new parameters, and unprepared, PostgreSQL parsed and
    /// planned each one again.
    /// </summary>
    const int AutoPreparedStatements = 8;

    /// <summary>Batches in flight at once, each a transaction on a pooled connection (one fsync per batch).</summary>
    const int CommitWorkers = 4;
    readonly GroupCommit commits;

    public string Schema { get; }
    /// <summary>The connection settings in effect: the given ones with the pool cap and auto-preparation filled in.</summary>
    public NpgsqlConnectionStringBuilder Settings => new(dataSource.ConnectionString);
    protected override string Table => $"{Schema}.{TableName}";

    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        commits.RunAsync(work, cancellationToken);

    /// <summary>On a connection of its own: a failed statement must not abort a batch's transaction.</summary>
    protected override async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = c.CreateCommand();
        // Two silos starting together both run this: IF NOT EXISTS can still race on the catalog, so a unique
        // violation from the loser is taken as "created".
        command.CommandText = $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Table} (
                grain_type text NOT NULL,
                grain_key  text NOT NULL,
                state_name text NOT NULL,
                payload    bytea NULL,
                version    bigint NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name));
            """;
        try { await command.ExecuteNonQueryAsync(cancellationToken); }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject) { }
    }

    public async ValueTask DisposeAsync()
    {
        await commits.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
