using Actors.Grains.Tests.Cluster;
using Actors.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Actors.Grains.Tests.Grains;

/// <summary>A storage silo runs the state codec warm-up as it starts: it succeeds, and it stores nothing.</summary>
public class StateCodecWarmUpSiloTests
{
    [Fact]
    public async Task ASiloWarmsUpItsStateCodecsAtStartAndStoresNothing()
    {
        await using var cluster = await GrainCluster.StartAsync(silos: 1);
        var warmUp = ((InProcessSiloHandle)cluster.Cluster.Primary!).ServiceProvider.GetRequiredService<StateCodecWarmUp>();
        Assert.Empty(await warmUp.Completion.WaitAsync(TimeSpan.FromSeconds(60)));

        await using var connection = new SqliteConnection($"Data Source={cluster.Storage.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM grain_records";
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
}
