using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;

namespace Actors.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file (the embedded default). One connection, used by one writer loop off the grain
/// threads (Microsoft.Data.Sqlite's async methods run synchronously): whatever operations are queued when the loop
/// comes round run in one transaction (group commit), so a checkpoint that stores thousands of latents at once pays
/// for one commit, not thousands; each operation's result is handed out only after its transaction committed, and an
/// operation that throws fails alone. WAL journal so readers of other processes never block the writer;
/// synchronous=NORMAL, which in WAL mode survives a killed process (only power loss can drop the last commits); a
/// busy timeout so another process's writer is waited for.
/// </summary>
public sealed class SqliteGrainStorage : SqlGrainStorage, IAsyncDisposable
{
    /// <summary>Most operations in one transaction; the rest wait for the next.</summary>
    const int MaxBatch = 4096;
    readonly SqliteConnection connection;
    readonly Channel<Operation> queue = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task loop;
    readonly int busyTimeoutMs;

    /// <summary>A queued unit of work: runs on the connection, then completes after the transaction commits.</summary>
    abstract class Operation
    {
        public abstract Task RunAsync(DbConnection connection);
        public abstract void Complete();
        public abstract void Fail(Exception error);
    }

    sealed class Operation<T>(Func<DbConnection, Task<T>> work) : Operation
    {
        public readonly TaskCompletionSource<T> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T result = default!;
        Exception? error;
        public override async Task RunAsync(DbConnection connection)
        {
            try { result = await work(connection); }
            catch (Exception e) { error = e; }
        }
        public override void Complete() { if (error is null) Done.TrySetResult(result); else Done.TrySetException(error); }
        public override void Fail(Exception e) => Done.TrySetException(e);
    }

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
        loop = Task.Run(RunLoopAsync);
    }

    public string DatabasePath { get; }
    protected override string Table => TableName;

    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var operation = new Operation<T>(work);
        if (!queue.Writer.TryWrite(operation)) throw new ObjectDisposedException(nameof(SqliteGrainStorage), $"grain storage {DatabasePath} is closed");
        return operation.Done.Task.WaitAsync(cancellationToken);
    }

    void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    async Task RunLoopAsync()
    {
        var batch = new List<Operation>();
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var operation)) batch.Add(operation);
            try
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    connection.Open();
                    using var pragma = connection.CreateCommand();
                    pragma.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
                    pragma.ExecuteNonQuery();
                }
                // BEGIN/COMMIT as statements: Microsoft.Data.Sqlite would otherwise require every command of the
                // operations to name a transaction object.
                Execute("BEGIN IMMEDIATE");
                foreach (var operation in batch) await operation.RunAsync(connection);
                Execute("COMMIT");
                foreach (var operation in batch) operation.Complete();
            }
            catch (Exception e)
            {
                try { if (connection.Handle is { } db && SQLitePCL.raw.sqlite3_get_autocommit(db) == 0) Execute("ROLLBACK"); } catch (SqliteException) { }
                foreach (var operation in batch) operation.Fail(e);
            }
            batch.Clear();
        }
    }

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
        queue.Writer.TryComplete();
        await loop;
        await connection.DisposeAsync();
    }
}
