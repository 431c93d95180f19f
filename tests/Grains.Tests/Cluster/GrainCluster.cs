using Actors.Grains.Latents;
using Actors.Silo.Hosting;
using Actors.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.TestingHost;
using SiloOptions = Actors.Silo.Hosting.SiloOptions;

namespace Actors.Grains.Tests.Cluster;

/// <summary>
/// An Orleans TestCluster of in-process silos with our grain services: grain state in one SQLite file that every
/// silo (and <see cref="Storage"/>) opens. Failure detection is Orleans's default unless a test that kills a silo asks
/// for it fast (its grains then come back within seconds): a silo that the others declare dead stops itself with
/// Environment.FailFast, which in a test process takes every test with it, and 1 s probes with two misses and one vote
/// could declare a live silo dead whenever the machine starves the process for a few seconds.
/// No job runner runs in these silos: a submitted job stays queued unless a test runs a runner (a client of the cluster).
/// </summary>
public sealed class GrainCluster : IAsyncDisposable
{
    readonly string folder;

    public TestCluster Cluster { get; }
    public IGrainFactory Grains => Cluster.Client;
    /// <summary>Reads the stored records directly, as a check independent of the grains.</summary>
    public SqliteGrainStorage Storage { get; }

    GrainCluster(TestCluster cluster, string folder, SqliteGrainStorage storage)
    {
        Cluster = cluster;
        this.folder = folder;
        Storage = storage;
    }

    public static async Task<GrainCluster> StartAsync(int silos = 2, string? folder = null, bool fastFailureDetection = false)
    {
        folder ??= Path.Combine(Path.GetTempPath(), $"grain-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var builder = new TestClusterBuilder((short)silos);
        builder.Properties["Silo:DataFolder"] = folder;
        builder.Properties[FastFailureDetection] = fastFailureDetection.ToString();
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var serializer = cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        return new GrainCluster(cluster, folder, new SqliteGrainStorage(Path.Combine(folder, "grains.db"), serializer));
    }

    /// <summary>Runs a statement on the cluster's SQLite file from a connection of its own (to break storage on purpose).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "grains.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deactivates every activation (each runs OnDeactivateAsync).</summary>
    public async Task DeactivateAllAsync()
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        for (int round = 0; round < 20; round++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            // Flushing latents activates their index partitions; collect until only the management grain's own
            // system activations remain.
            var counts = await management.GetSimpleGrainStatistics();
            if (!counts.Any(c => c.GrainType.Contains("Actors.Grains", StringComparison.Ordinal) && c.ActivationCount > 0)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("grain activations did not all deactivate");
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        try { await Cluster.StopAllSilosAsync(); } catch (Exception) { /* a test may have killed silos */ }
        await Cluster.DisposeAsync();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) => client.AddOutgoingGrainCallFilter<InjectedFaults>();
    }

    const string FastFailureDetection = "Test:FastFailureDetection";

    sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var options = new SiloOptions { DataFolder = silo.Configuration["Silo:DataFolder"]! };
            silo.AddActorsGrainServices(options);
            if (bool.Parse(silo.Configuration[FastFailureDetection]!))
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
        }
    }
}

/// <summary>One 2-silo cluster shared by a test class; tests keep apart by using keys of their own.</summary>
public sealed class SharedGrainCluster : IAsyncLifetime
{
    public GrainCluster Cluster { get; private set; } = null!;
    public async Task InitializeAsync() => Cluster = await GrainCluster.StartAsync(silos: 2);
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
