using Actors.Grains.Blobs;
using Microsoft.Data.Sqlite;

namespace Actors.Blobs;

/// <summary>
/// Blobs in a folder. Blobs up to <see cref="PackedMaxBytes"/> (thumbnails) are rows of one SQLite file, root/packed.db;
/// larger ones are files under root/ab/cd/abcd…(64 hex). A file a blob costs an inode, and ingestion stores a
/// thumbnail per image: creating them was 9 % of ingest-wide's CPU on this project's machines (ext4 without a
/// journal, which scans for recently deleted inodes on every create), and a folder of millions of small files is
/// slow to copy and back up. Both forms are durable when PutAsync returns: a row's transaction is synced
/// (synchronous=FULL), a file is synced before it is renamed into place, so a reader sees no blob or the whole blob
/// and grain state that names a blob is never stored before it. Reads look in the database, then for a file, so
/// folders written before small blobs were packed read as before. Two writers of the same blob both succeed (the
/// content is identical by construction).
/// </summary>
public sealed class FolderBlobStore : IBlobStore, IDisposable
{
    /// <summary>Largest blob kept as a database row: SQLite reads and writes rows of this size faster than files.</summary>
    public const int PackedMaxBytes = 64 * 1024;

    readonly string temp;
    readonly Lazy<SqliteConnection> packed;
    // One connection: SQLite serializes writers anyway, and a put or a read holds it for tens of microseconds.
    readonly SemaphoreSlim gate = new(1, 1);

    // One SQLite per process: the system library (the grain storage sets the same provider).
    static FolderBlobStore() => SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());

    public FolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        temp = Path.Combine(Root, "tmp");
        packed = new Lazy<SqliteConnection>(OpenPacked);
    }

    public string Root { get; }
    public string PackedPath => Path.Combine(Root, "packed.db");

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string hash = BlobHash.Of(content.Span);
        if (content.Length <= PackedMaxBytes)
        {
            await InsertPackedAsync([(hash, content)], cancellationToken);
            return hash;
        }
        string path = PathOf(hash);
        if (File.Exists(path)) return hash;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(temp);
        string tempPath = Path.Combine(temp, $"{hash}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await file.WriteAsync(content, cancellationToken);
                file.Flush(flushToDisk: true); // the rename must not expose a file whose bytes are not yet durable
            }
            try { File.Move(tempPath, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { } // a concurrent writer stored the same bytes first
        }
        finally
        {
            if (File.Exists(tempPath)) File.Delete(tempPath);
        }
        return hash;
    }

    /// <summary>The small blobs go into the database in one transaction (one sync for all of them); large ones are files,
    /// each synced as by <see cref="PutAsync"/>.</summary>
    public async Task<string[]> PutManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default)
    {
        var hashes = new string[contents.Count];
        var small = new List<(string, ReadOnlyMemory<byte>)>();
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i].Length <= PackedMaxBytes) small.Add((hashes[i] = BlobHash.Of(contents[i].Span), contents[i]));
            else hashes[i] = await PutAsync(contents[i], cancellationToken);
        }
        if (small.Count > 0) await InsertPackedAsync(small, cancellationToken);
        return hashes;
    }

    /// <summary>Rows of the database for small blobs, in one transaction: one sync however many there are.</summary>
    Task<int> InsertPackedAsync(IReadOnlyList<(string Hash, ReadOnlyMemory<byte> Content)> blobs, CancellationToken cancellationToken) =>
        OnPackedAsync(db =>
        {
            using var transaction = db.BeginTransaction();
            using var insert = Command(db, "INSERT INTO blobs (hash, content) VALUES (@h, @c) ON CONFLICT (hash) DO NOTHING", null);
            insert.Transaction = transaction;
            var hash = insert.Parameters.Add("@h", SqliteType.Text);
            var content = insert.Parameters.Add("@c", SqliteType.Blob);
            foreach (var blob in blobs)
            {
                hash.Value = blob.Hash;
                content.Value = blob.Content.ToArray();
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return blobs.Count;
        }, cancellationToken);

    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        string path = PathOf(hash);
        var row = await ReadPackedAsync(hash, cancellationToken);
        if (row is not null) return row;
        try { return await File.ReadAllBytesAsync(path, cancellationToken); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public async Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) =>
        File.Exists(PathOf(hash)) || await ReadPackedAsync(hash, cancellationToken) is not null;

    /// <summary>root/ab/cd/hash; sharding keeps directories small with millions of files.</summary>
    public string PathOf(string hash)
    {
        BlobHash.Validate(hash);
        return Path.Combine(Root, hash[..2], hash[2..4], hash);
    }

    /// <summary>Blobs held as rows of the database (not those held as files).</summary>
    public async Task<long> PackedCountAsync(CancellationToken cancellationToken = default) =>
        File.Exists(PackedPath) ? await OnPackedAsync(db => { using var c = Command(db, "SELECT count(*) FROM blobs", null); return (long)c.ExecuteScalar()!; }, cancellationToken) : 0;

    Task<byte[]?> ReadPackedAsync(string hash, CancellationToken cancellationToken)
    {
        if (!packed.IsValueCreated && !File.Exists(PackedPath)) return Task.FromResult<byte[]?>(null);   // a folder of files only
        return OnPackedAsync(db =>
        {
            using var select = Command(db, "SELECT content FROM blobs WHERE hash = @h", hash);
            return select.ExecuteScalar() as byte[];
        }, cancellationToken);
    }

    async Task<T> OnPackedAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try { return work(packed.Value); }
        finally { gate.Release(); }
    }

    static SqliteCommand Command(SqliteConnection db, string sql, string? hash)
    {
        var command = db.CreateCommand();
        command.CommandText = sql;
        if (hash is not null) command.Parameters.AddWithValue("@h", hash);
        return command;
    }

    SqliteConnection OpenPacked()
    {
        Directory.CreateDirectory(Root);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = PackedPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        db.Open();
        using var setup = db.CreateCommand();
        // WAL: readers of other processes (a CLI beside the API) do not block the writer; FULL: a commit is on disk
        // when it returns, as a synced file is; the busy timeout waits for another process's writer.
        setup.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; " +
                            "CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, content BLOB NOT NULL);";
        setup.ExecuteNonQuery();
        return db;
    }

    public void Dispose()
    {
        if (packed.IsValueCreated) packed.Value.Dispose();
        gate.Dispose();
    }
}
