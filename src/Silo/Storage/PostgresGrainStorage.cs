using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Actors.Silo.Storage;

/// <summary>Grain state in PostgreSQL (the server setup): the same grain_state table, in a configurable schema.</summary>
public sealed partial class PostgresGrainStorage : SqlGrainStorage, IAsyncDisposable
{
    readonly NpgsqlDataSource dataSource;

    /// <summary>Pooled connections per storage unless the connection string sets "Maximum Pool Size".</summary>
    public const int DefaultMaxPoolSize = 16;

    public PostgresGrainStorage(string connectionString, string schema = "public")
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!Identifier().IsMatch(schema))
            throw new ArgumentException($"schema '{schema}' must be a plain lower-case identifier ([a-z_][a-z0-9_]*)", nameof(schema));
        Schema = schema;
        // A checkpoint flushes thousands of grains at once; without a cap each storage would open up to Npgsql's
        // default 100 connections and several silos (or test runs) exhaust the server's max_connections.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public string Schema { get; }
    protected override string Table => $"{Schema}.grain_state";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Table} (
                grain_type text NOT NULL,
                grain_key  text NOT NULL,
                state_name text NOT NULL,
                payload    text NULL,
                version    bigint NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name));
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
