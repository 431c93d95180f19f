using System.Diagnostics;
using Actors.Api.Tests.Fixtures;
using Actors.Testing;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Faults;

/// <summary>
/// The cluster on loopback (three storage silos on PostgreSQL and Redis membership, a GPU-host silo, the API as a
/// client): one storage silo is SIGKILLed in the middle of an ingestion. The ingestion must complete by itself (the
/// host retries the calls that reached the dead silo; its latents are activated again on the survivors from their
/// stored state) and end with exactly the statistics of an uninterrupted run of the embedded default: every latent,
/// the SAE's totals, the listing and the class concepts agree — no batch lost, none counted twice.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    const int BatchSize = 2, CheckpointEveryBatches = 2;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), IngestTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task SigkillOfAStorageSiloMidIngestionLosesAndDoublesNoBatch()
    {
        var clock = Stopwatch.StartNew();
        using var world = TestWorld.Create(imagesPerClass: 40, withBadFiles: true);   // 122 files, 61 batches
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
            long appliedAtKill = await IngestionRuns.KillMidRunAsync(cluster.Api, batches, CheckpointEveryBatches, victim.Kill, IngestTimeout);
            output.WriteLine($"killed {victim.Name} with {appliedAtKill} of {batches} batches checkpointed ({clock.Elapsed.TotalSeconds:F1} s)");

            var (documents, firing, differences) = await IngestionRuns.CompareAsync(reference, cluster.Api, batches, IngestTimeout);
            output.WriteLine($"compared {documents} documents ({firing} firing latents) in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(firing > 5, $"only {firing} latents fired; the comparison would prove little");
            Assert.True(differences.Count == 0, $"{differences.Count} differences after the kill:\n{string.Join('\n', differences.Take(40))}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{cluster.Logs}", e);
        }
    }
}
