using Actors.Testing;
using System.Diagnostics;
using System.Text.Json;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Registry;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Faults;

/// <summary>
/// Issue 5 "Faults": the API process is SIGKILLed in the middle of ingestion and started again on the same data
/// folder; ingestion resumes by itself (Ingestion:ResumeOnStart) and must end with exactly the state of a run
/// that was never interrupted — no batch lost, none counted twice. Both runs are real child processes on SQLite
/// in separate data folders, over the same corpus, model and SAE files.
/// </summary>
public sealed class CrashResumeTests(ITestOutputHelper output)
{
    const int BatchSize = 2, CheckpointEveryBatches = 2;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), IngestTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SigkillMidIngestionThenRestartResumesToExactlyTheStatisticsOfAnUninterruptedRun()
    {
        var clock = Stopwatch.StartNew();
        using var world = TestWorld.Create(imagesPerClass: 40, withBadFiles: true);   // 122 files, 61 batches
        int batches = (world.GoodImages.Count + 2 + BatchSize - 1) / BatchSize;
        string referenceData = Path.Combine(world.Root, "data-uninterrupted"), crashedData = Path.Combine(world.Root, "data-crashed");

        // The uninterrupted run goes on beside the crashed one.
        await using var reference = await ApiProcess.StartAsync("uninterrupted", Settings(referenceData), StartTimeout);
        await IngestionRuns.WithLogAsync(reference, async () => { await IngestionRuns.RegisterAndStartAsync(reference.Client, world); return 0; });

        var first = await ApiProcess.StartAsync("crashed", Settings(crashedData), StartTimeout);
        long appliedAtKill;
        try
        {
            await IngestionRuns.RegisterAndStartAsync(first.Client, world);
            appliedAtKill = await IngestionRuns.KillMidRunAsync(first, batches, CheckpointEveryBatches, first.Kill, IngestTimeout);
        }
        finally { await first.DisposeAsync(); }
        output.WriteLine($"killed with {appliedAtKill} of {batches} batches checkpointed ({clock.Elapsed.TotalSeconds:F1} s)");

        await using var restarted = await ApiProcess.StartAsync("restarted", Settings(crashedData), StartTimeout);
        var (documents, firing, differences) = await IngestionRuns.CompareAsync(reference, restarted, batches, IngestTimeout);
        output.WriteLine($"compared {documents} documents ({firing} firing latents) in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(firing > 5, $"only {firing} latents fired; the comparison would prove little");
        Assert.True(differences.Count == 0, $"{differences.Count} differences after resume:\n{string.Join('\n', differences.Take(40))}");
    }

    /// <summary>The embedded default on SQLite in <paramref name="dataFolder"/>, resuming on start.</summary>
    public static Dictionary<string, string?> Settings(string dataFolder) => new()
    {
        ["Silo:DataFolder"] = dataFolder,
        ["Silo:Storage"] = "Sqlite",
        ["Ingestion:BatchSize"] = BatchSize.ToString(),
        ["Ingestion:CheckpointEveryBatches"] = CheckpointEveryBatches.ToString(),
        ["Ingestion:ResumeOnStart"] = "true",
        ["Demo:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Actors"] = "Information",
    };
}
