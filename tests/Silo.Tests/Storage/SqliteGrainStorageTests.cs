using Actors.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace Actors.Silo.Tests.Storage;

/// <summary>The storage contract against a SQLite file in a fresh temp folder.</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContract
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"silo-sqlite-{Guid.NewGuid():N}");

    protected override Task<SqlGrainStorage> CreateStorageAsync() =>
        Task.FromResult<SqlGrainStorage>(new SqliteGrainStorage(Path.Combine(folder, "grains.db"), TestSerializer.Instance));

    protected override async Task DestroyStorageAsync()
    {
        await ((SqliteGrainStorage)Storage).DisposeAsync();   // release the file before deleting
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task DatabaseUsesWriteAheadLogging()
    {
        await ((SqliteGrainStorage)Storage).InitializeAsync();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "grains.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
