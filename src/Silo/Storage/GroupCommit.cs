using System.Data.Common;
using System.Threading.Channels;

namespace Actors.Silo.Storage;

/// <summary>
/// Runs database operations in batches: whatever operations are queued when a worker comes round run in one
/// transaction, so many grains storing state at once (a checkpoint stores every touched latent) pay for one commit —
/// one fsync — instead of one each. An operation's result is handed out only after its transaction committed; one
/// that throws fails alone unless the engine aborts the transaction, in which case the whole batch fails. A grain
/// has at most one write in flight, so concurrent batches never touch the same row.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    /// <summary>Most operations in one transaction; the rest wait for the next.</summary>
    const int MaxBatch = 4096;
    readonly Channel<Operation> queue = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = false });
    readonly Func<CancellationToken, Task<DbConnection>> lease;
    readonly Func<DbConnection, ValueTask> release;
    readonly string begin;
    readonly Task[] workers;

    /// <param name="lease">A connection for one batch; <paramref name="release"/> gives it back (disposes or keeps it).</param>
    /// <param name="begin">The statement that opens the transaction ("BEGIN IMMEDIATE" for SQLite, "BEGIN").</param>
    /// <param name="workers">Batches in flight at once (1 for SQLite, whose writers are serialized anyway).</param>
    public GroupCommit(Func<CancellationToken, Task<DbConnection>> lease, Func<DbConnection, ValueTask> release, string begin, int workers)
    {
        this.lease = lease;
        this.release = release;
        this.begin = begin;
        this.workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    public Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var operation = new Operation<T>(work);
        if (!queue.Writer.TryWrite(operation)) throw new ObjectDisposedException(nameof(GroupCommit), "grain storage is closed");
        return operation.Done.Task.WaitAsync(cancellationToken);
    }

    async Task WorkAsync()
    {
        var batch = new List<Operation>();
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var operation)) batch.Add(operation);
            if (batch.Count == 0) continue;
            DbConnection? connection = null;
            try
            {
                connection = await lease(CancellationToken.None);
                // BEGIN/COMMIT as statements: Microsoft.Data.Sqlite would otherwise require every command of the
                // operations to name a transaction object.
                await ExecuteAsync(connection, begin);
                foreach (var operation in batch) await operation.RunAsync(connection);
                await ExecuteAsync(connection, "COMMIT");
                foreach (var operation in batch) operation.Complete();
            }
            catch (Exception e)
            {
                if (connection is not null) try { await ExecuteAsync(connection, "ROLLBACK"); } catch (DbException) { }
                foreach (var operation in batch) operation.Fail(e);
            }
            finally
            {
                if (connection is not null) await release(connection);
            }
            batch.Clear();
        }
    }

    static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(workers);
    }

    /// <summary>A queued unit of work: runs on the batch's connection, then completes after the commit.</summary>
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
}
