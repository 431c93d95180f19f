using Npgsql;

namespace Actors.Testing;

public enum StorageKind { Sqlite, Postgres }

/// <summary>
/// The grain storage one test class (or benchmark) runs against, as "Silo:*" settings: SQLite in the class's temp data folder,
/// or PostgreSQL (ACTORS_POSTGRES, else the local CI server) in a schema of its own, dropped at the end. Compiled into
/// Api.Tests and Benchmarks (one source, linked).
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    public const string DefaultPostgres = "Host=127.0.0.1;Username=actors;Password=actors;Database=actors";
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("ACTORS_POSTGRES") is { Length: > 0 } s ? s : DefaultPostgres;

    public StorageKind Kind { get; }
    public string DataFolder { get; }
    public string? Schema { get; }

    TestStorage(StorageKind kind, string dataFolder, string? schema) { Kind = kind; DataFolder = dataFolder; Schema = schema; }

    public static async Task<TestStorage> CreateAsync(StorageKind kind, string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        if (kind == StorageKind.Sqlite) return new TestStorage(kind, dataFolder, null);
        string schema = "apitests_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        return new TestStorage(kind, dataFolder, schema);
    }

    /// <summary>Settings for the silo, as configuration keys (also usable as --key=value arguments); each call picks
    /// a free silo port, since test classes run their silos side by side.</summary>
    public Dictionary<string, string?> Settings => Kind == StorageKind.Sqlite
        ? new() { ["Silo:DataFolder"] = DataFolder, ["Silo:Storage"] = "Sqlite", ["Silo:SiloPort"] = Loopback.FreePort().ToString() }
        : new()
        {
            ["Silo:DataFolder"] = DataFolder, ["Silo:Storage"] = "Postgres", ["Silo:SiloPort"] = Loopback.FreePort().ToString(),
            ["Silo:PostgresConnectionString"] = PostgresConnectionString, ["Silo:PostgresSchema"] = Schema,
        };

    static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Schema is not null) await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
