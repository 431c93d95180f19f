using Actors.Testing;
using System.Diagnostics;
using System.Text.Json;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Faults;

/// <summary>
/// Issue 5 "Faults": the API process is SIGKILLed in the middle of ingestion and started again on the same data
/// folder; the ingestion job, left running under the dead process's lease, is claimed again by the restarted process's
/// job runner once the lease has lapsed, continues past the batches the corpus recorded, and must end with exactly the
/// state of a run that was never interrupted — no batch lost, none counted twice. Both runs are real child processes
/// on SQLite in separate data folders, over the same corpus, model and SAE files.
/// </summary>
public sealed class CrashResumeTests(ITestOutputHelper output)
{
    const int BatchSize = 2, CheckpointEveryBatches = 2;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), IngestTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SigkillMidIngestionThenRestartResumesToExactlyTheStatisticsOfAnUninterruptedRun()
    {
        var clock = Stopwatch.StartNew();
        using var world = IngestionRuns.CreateKillWorld();   // 602 files, 301 batches
        int batches = (world.GoodImages.Count + 2 + BatchSize - 1) / BatchSize;
        string referenceData = Path.Combine(world.Root, "data-uninterrupted"), crashedData = Path.Combine(world.Root, "data-crashed");

        // The uninterrupted run goes on beside the crashed one.
        await using var reference = await ApiProcess.StartAsync("uninterrupted", Settings(referenceData), StartTimeout);
        await IngestionRuns.WithLogAsync(reference, async () => { await IngestionRuns.RegisterAndStartAsync(reference.Client, world); return 0; });

        var first = await ApiProcess.StartAsync("crashed", Settings(crashedData), StartTimeout);
        long appliedAtKill;
        string polls;
        try
        {
            await IngestionRuns.RegisterAndStartAsync(first.Client, world);
            (appliedAtKill, polls) = await IngestionRuns.KillMidRunAsync(first, batches, CheckpointEveryBatches, first.Kill, IngestTimeout);
        }
        finally { await first.DisposeAsync(); }
        output.WriteLine($"killed with {appliedAtKill} of {batches} batches checkpointed ({clock.Elapsed.TotalSeconds:F1} s); {polls}");

        await using var restarted = await ApiProcess.StartAsync("restarted", Settings(crashedData), StartTimeout);
        var (documents, firing, differences) = await IngestionRuns.CompareAsync(reference, restarted, batches, IngestTimeout);
        output.WriteLine($"compared {documents} documents ({firing} firing latents) in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(firing > 5, $"only {firing} latents fired; the comparison would prove little");
        Assert.True(differences.Count == 0, $"{differences.Count} differences after resume:\n{string.Join('\n', differences.Take(40))}");

        // One job throughout: its second attempt, on the restarted process, skipped what the first had recorded.
        var corpus = await restarted.Client.GetAsync<CorpusView>($"/api/corpora/{IngestionRuns.CorpusId}");
        var job = await restarted.Client.WaitForJobAsync(corpus.JobId!, IngestTimeout);
        Assert.Equal((JobStatus.Succeeded, 2), (job.Status, job.Attempts));
        long skipped = JsonDocument.Parse(job.Result!).RootElement.GetProperty("batchesRecordedBefore").GetInt64();
        Assert.True(skipped >= appliedAtKill && skipped < batches, $"the resumed attempt skipped {skipped} batches; {appliedAtKill} were recorded at the kill");
    }

    /// <summary>
    /// The embedded default on SQLite in <paramref name="dataFolder"/>, with a short job lease (a job the killed process
    /// held is claimed again 6 s after its last heartbeat, instead of the default 30) and a scan every second.
    /// </summary>
    public static Dictionary<string, string?> Settings(string dataFolder) => new()
    {
        ["Silo:DataFolder"] = dataFolder,
        ["Silo:Storage"] = "Sqlite",
        ["Ingestion:BatchSize"] = BatchSize.ToString(),
        ["Ingestion:CheckpointEveryBatches"] = CheckpointEveryBatches.ToString(),
        ["Jobs:LeaseSeconds"] = "6",
        ["Jobs:HeartbeatSeconds"] = "1",
        ["Jobs:ScanSeconds"] = "1",
        ["Demo:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Actors"] = "Information",
    };
}
