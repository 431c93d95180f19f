using Actors.Silo.Storage;
using Npgsql;

namespace Actors.Silo.Tests.Storage;

/// <summary>
/// The storage contract against PostgreSQL (ACTORS_POSTGRES, default the loopback server CI starts),
/// each test in its own schema, dropped afterwards.
/// </summary>
public sealed class PostgresGrainStorageTests : GrainStorageContract
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ACTORS_POSTGRES") is { Length: > 0 } s
            ? s : "Host=127.0.0.1;Username=actors;Password=actors;Database=actors";

    readonly string schema = $"silo_test_{Guid.NewGuid():N}";
    PostgresGrainStorage? storage;

    protected override async Task<SqlGrainStorage> CreateStorageAsync()
    {
        storage = new PostgresGrainStorage(ConnectionString, TestSerializer.Instance, schema);
        await storage.InitializeAsync();
        return storage;
    }

    protected override async Task DestroyStorageAsync()
    {
        if (storage is not null) await storage.DisposeAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public void SchemaNameThatIsNotAPlainIdentifierIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new PostgresGrainStorage(ConnectionString, TestSerializer.Instance, "x; DROP TABLE y"));
        Assert.Contains("x; DROP TABLE y", e.Message);
    }

    [Fact]
    public async Task PoolIsCappedAndRepeatedStatementsArePreparedUnlessTheConnectionStringSaysOtherwise()
    {
        await using (var defaults = new PostgresGrainStorage(ConnectionString, TestSerializer.Instance, schema))
        {
            Assert.Equal(PostgresGrainStorage.DefaultMaxPoolSize, defaults.Settings.MaxPoolSize);
            Assert.True(defaults.Settings.MaxAutoPrepare >= 3, $"Max Auto Prepare {defaults.Settings.MaxAutoPrepare}: the three record statements are not all prepared");
        }
        await using var given = new PostgresGrainStorage(ConnectionString + ";Maximum Pool Size=5;Max Auto Prepare=0", TestSerializer.Instance, schema);
        Assert.Equal(5, given.Settings.MaxPoolSize);
        Assert.Equal(0, given.Settings.MaxAutoPrepare);
    }

    [Fact]
    public async Task SettingsAreReadFromTheParsedConnectionStringNotItsText()
    {
        // A synonym counts as setting the key; a value that merely contains a key's name does not.
        await using var synonym = new PostgresGrainStorage(ConnectionString + ";MaxAutoPrepare=2", TestSerializer.Instance, schema);
        Assert.Equal(2, synonym.Settings.MaxAutoPrepare);
        await using var named = new PostgresGrainStorage(ConnectionString + ";Application Name=MaxAutoPrepare", TestSerializer.Instance, schema);
        Assert.True(named.Settings.MaxAutoPrepare >= 3);
    }
}
