using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;

namespace Actors.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file (the embedded default). One connection, used off the grain threads by one group
/// commit worker (Microsoft.Data.Sqlite's async methods run synchronously; SQLite serializes writers anyway). WAL
/// journal so readers of other processes never block the writer; synchronous=NORMAL, which in WAL mode survives a
/// killed process (only power loss can drop the last commits); a busy timeout so another process's writer is waited
/// for; a page cache of <see cref="CacheMebibytes"/> instead of SQLite's 2 MiB, so that a delivery, which rewrites every
/// touched latent's row, finds the B-tree pages in memory rather than reading each again from the kernel.
/// </summary>
public sealed class SqliteGrainStorage : SqlGrainStorage, IAsyncDisposable
{
    readonly SqliteConnection connection;
    readonly GroupCommit commits;
    readonly int busyTimeoutMs;

    // One SQLite per process: the system library, which libvips may already have loaded (through openslide).
    static SqliteGrainStorage() => SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());

    public SqliteGrainStorage(string path, Serializer serializer, TimeSpan? busyTimeout = null) : base(serializer)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        DatabasePath = path;
        busyTimeoutMs = (int)(busyTimeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        }.ToString());
        commits = new GroupCommit(Open, _ => ValueTask.CompletedTask, "BEGIN IMMEDIATE", workers: 1);
    }

    /// <summary>
    /// SQLite's page cache (allocated as pages are used). ingest-wide's states of 28.7k latents take ≈ 40 MB; with the
    /// default 2 MiB its warm delivery made ≈ 85k pread calls for ≈ 29k row updates.
    /// </summary>
    const int CacheMebibytes = 64;

    public string DatabasePath { get; }
    protected override string Table => TableName;

    Task<DbConnection> Open(CancellationToken cancellationToken)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{CacheMebibytes * 1024};";
            pragma.ExecuteNonQuery();
        }
        return Task.FromResult<DbConnection>(connection);
    }

    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        commits.RunAsync(work, cancellationToken);

    // The one connection's statements, each prepared once and reused with its parameters: SQLite's parsing and
    // planning of a statement otherwise runs on every write. Only the commit worker uses them, one operation at a time.
    readonly Dictionary<string, DbCommand> prepared = new(StringComparer.Ordinal);

    protected override DbCommand CreateCommand(DbConnection connection, string sql) =>
        prepared.TryGetValue(sql, out var command) ? command : prepared[sql] = base.CreateCommand(connection, sql);

    protected override ValueTask ReleaseCommandAsync(DbCommand command) => ValueTask.CompletedTask;

    protected override Task CreateSchemaAsync(CancellationToken cancellationToken) => RunAsync(async c =>
    {
        await using var command = c.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
                grain_type TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                state_name TEXT NOT NULL,
                payload    BLOB NULL,
                version    INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name));
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await commits.DisposeAsync();
        foreach (var command in prepared.Values) await command.DisposeAsync();
        await connection.DisposeAsync();
    }
}
