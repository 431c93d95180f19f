using System.Diagnostics;
using Actors.Api.Tests.Fixtures;
using Actors.Cluster;
using Actors.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Actors.Testing;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Faults;

/// <summary>
/// The cluster on loopback (three storage silos on PostgreSQL and Redis membership, a GPU-host silo, the API as a
/// client): one storage silo is SIGKILLed in the middle of an ingestion. The ingestion must complete by itself (the
/// host retries the calls that reached the dead silo; its latents are activated again on the survivors from their
/// stored state) and end with exactly the statistics of an uninterrupted run of the embedded default: every latent,
/// the SAE's totals, the listing and the class concepts agree — no batch lost, none counted twice. Afterwards the
/// cluster is asked where its grains live: storage grains (the job grains among them) never on the GPU host, host
/// grains (the job-host grain that woke the ingestion job's runner) only there.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    const int BatchSize = 2, CheckpointEveryBatches = 2;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), IngestTimeout = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Asks the cluster itself (a client of ours joined through its Redis membership) where grains live: storage
    /// grains only on storage silos, the host grains only on the GPU host, and the dashboard's grain never there.
    /// </summary>
    static async Task AssertPlacementByRoleAsync(LoopbackCluster cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseActorsCluster(new ClusterSettings
        {
            Membership = ClusterMembership.Redis, Redis = $"127.0.0.1:{cluster.RedisPort}",
        }));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IClusterClient>();
        var names = (await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true)).ToDictionary(h => h.SiloAddress, h => h.SiloName);
        var census = await GrainCensus.TakeAsync(client);
        int Count(string grainClass, Func<string, bool> onSilo) =>
            census.PerSilo(grainClass).Where(c => names.TryGetValue(c.Key, out var n) && onSilo(n)).Sum(c => c.Value);
        bool IsHost(string name) => name.StartsWith("gpu-host", StringComparison.Ordinal);
        Assert.True(Count("LatentGrain", n => !IsHost(n)) > 0, "no latent is active on a storage silo");
        foreach (var storageGrain in new[] { "LatentGrain", "LatentIndexGrain", "SaeGrain", "CorpusGrain", "ConceptGrain", "RegistryGrain", "JobGrain", "JobIndexGrain" })
            Assert.Equal(0, Count(storageGrain, IsHost));
        Assert.True(Count("JobHostGrain", IsHost) > 0, "the job host grain is not on the GPU host");
        Assert.Equal(0, Count("JobHostGrain", n => !IsHost(n)));
        Assert.Equal(0, Count("DashboardGrain", IsHost));
        await host.StopAsync();
    }

    [Fact]
    public async Task SigkillOfAStorageSiloMidIngestionLosesAndDoublesNoBatch()
    {
        var clock = Stopwatch.StartNew();
        using var world = IngestionRuns.CreateKillWorld();   // 602 files, 301 batches
        int batches = (world.GoodImages.Count + 2 + BatchSize - 1) / BatchSize;
        var ingestion = new Dictionary<string, string?>
        {
            ["Ingestion:BatchSize"] = BatchSize.ToString(), ["Ingestion:CheckpointEveryBatches"] = CheckpointEveryBatches.ToString(),
        };

        await using var reference = await ApiProcess.StartAsync("uninterrupted",
            CrashResumeTests.Settings(Path.Combine(world.Root, "data-uninterrupted")), StartTimeout);
        await IngestionRuns.WithLogAsync(reference, async () => { await IngestionRuns.RegisterAndStartAsync(reference.Client, world); return 0; });

        await using var cluster = await LoopbackCluster.StartAsync(Path.Combine(world.Root, "cluster"), storageSilos: 3, ingestion);
        output.WriteLine($"cluster up ({clock.Elapsed.TotalSeconds:F1} s)");
        try
        {
            await IngestionRuns.RegisterAndStartAsync(cluster.Api.Client, world);
            var victim = cluster.StorageSilos[1];
            var (appliedAtKill, polls) = await IngestionRuns.KillMidRunAsync(cluster.Api, batches, CheckpointEveryBatches, victim.Kill, IngestTimeout);
            output.WriteLine($"killed {victim.Name} with {appliedAtKill} of {batches} batches checkpointed ({clock.Elapsed.TotalSeconds:F1} s); {polls}");

            var (documents, firing, differences) = await IngestionRuns.CompareAsync(reference, cluster.Api, batches, IngestTimeout);
            output.WriteLine($"compared {documents} documents ({firing} firing latents) in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(firing > 5, $"only {firing} latents fired; the comparison would prove little");
            Assert.True(differences.Count == 0, $"{differences.Count} differences after the kill:\n{string.Join('\n', differences.Take(40))}");
            // The ingestion was a job on the GPU host, and it ended with the corpus.
            var job = Assert.Single(await cluster.Api.Client.WaitForJobsAsync("ingestion", atLeast: 1, IngestTimeout));
            Assert.Equal((IngestionRuns.CorpusId, JobStatus.Succeeded), (job.Subject, job.Status));
            await AssertPlacementByRoleAsync(cluster);
            // The cluster serves the Orleans Dashboard (to administrators): the API, a client, asks the dashboard's grain,
            // which lists the grain classes of the silo it lives on. That is never the GPU host (HostNoDashboardGrain;
            // placed there, it listed no latents), so the list holds the storage grains wherever placement put it.
            var grainTypes = await cluster.Api.Client.GetAsync("/dashboard/GrainTypes");
            Assert.True(grainTypes.IsSuccessStatusCode, $"dashboard: {(int)grainTypes.StatusCode}");
            string types = await grainTypes.Content.ReadAsStringAsync();
            Assert.Contains("Actors.Grains.Latents.LatentGrain", types);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{cluster.Logs}", e);
        }
    }
}
