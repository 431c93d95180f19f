using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Actors.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file (the embedded default). WAL journal so readers never block the writer;
/// synchronous=NORMAL, which in WAL mode survives a killed process (only power loss can drop the last
/// commits); a busy timeout so concurrent writers, from this process or another, wait instead of failing.
/// </summary>
public sealed class SqliteGrainStorage : SqlGrainStorage
{
    readonly string connectionString;
    readonly int busyTimeoutMs;

    // One SQLite per process: the system library, which libvips may already have loaded (through openslide).
    static SqliteGrainStorage() => SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());

    public SqliteGrainStorage(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        DatabasePath = path;
        busyTimeoutMs = (int)(busyTimeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        }.ToString();
    }

    public string DatabasePath { get; }
    protected override string Table => "grain_state";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    protected override async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_type TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                state_name TEXT NOT NULL,
                payload    TEXT NULL,
                version    INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name));
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
