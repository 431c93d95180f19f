using System.Diagnostics;
using System.Text.Json;
using Actors.Api.Tests.Fixtures;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Jobs;
using Actors.Sae.Training;
using Actors.Testing;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Faults;

/// <summary>
/// "Retraining resumes bit-identically after SIGKILL", for the job: the API process (the embedded host running the
/// job) is SIGKILLed once the job's first checkpoint is on disk and started again on the same data folder; its job
/// runner finds the job whose lease ran out, claims it as attempt 2, and the handler continues from the job's own
/// checkpoint. The new SAE's weights must be byte-identical to those of the same retraining in a process never killed.
/// </summary>
public sealed class RetrainingCrashResumeTests(ITestOutputHelper output)
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), JobTimeout = TimeSpan.FromSeconds(180);
    const int Steps = 600, CheckpointEvery = 20;

    [Fact]
    public async Task ARetrainingJobWhoseHostIsSigkilledResumesFromItsCheckpointToTheWeightsOfAnUninterruptedRun()
    {
        var clock = Stopwatch.StartNew();
        using var world = TestWorld.Create(imagesPerClass: 8, withBadFiles: false);
        string referenceData = Path.Combine(world.Root, "data-uninterrupted"), crashedData = Path.Combine(world.Root, "data-crashed");

        string referenceJob;
        await using (var reference = await ApiProcess.StartAsync("uninterrupted", Settings(referenceData), StartTimeout))
        {
            referenceJob = await IngestionRuns.WithLogAsync(reference, () => SubmitAsync(reference.Client, world));
            var done = await IngestionRuns.WithLogAsync(reference, () => WaitAsync(reference.Client, referenceJob));
            Assert.Equal((JobStatus.Succeeded, 1), (done.Status, done.Attempts));
        }
        output.WriteLine($"uninterrupted run: {clock.Elapsed.TotalSeconds:F1} s");

        string jobId;
        string checkpoint;
        var first = await ApiProcess.StartAsync("crashed", Settings(crashedData), StartTimeout);
        try
        {
            jobId = await IngestionRuns.WithLogAsync(first, () => SubmitAsync(first.Client, world));
            checkpoint = Path.Combine(crashedData, "retraining", jobId, "checkpoint");
            var deadline = DateTime.UtcNow + JobTimeout;
            while (!SaeTrainer.HasCheckpoint(checkpoint))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no checkpoint within {JobTimeout}:\n{first.Log}");
                await Task.Delay(5);
            }
            first.Kill();
        }
        finally { await first.DisposeAsync(); }
        long killedAt = SaeTrainer.CheckpointStep(checkpoint);
        Assert.False(Directory.Exists(Path.Combine(crashedData, "retraining", jobId, "sae")), "the job had finished training before the kill");
        Assert.InRange(killedAt, CheckpointEvery, Steps - 1);
        output.WriteLine($"killed with the checkpoint of step {killedAt} of {Steps} on disk ({clock.Elapsed.TotalSeconds:F1} s)");

        await using var restarted = await ApiProcess.StartAsync("restarted", Settings(crashedData), StartTimeout);
        var resumed = await IngestionRuns.WithLogAsync(restarted, () => WaitAsync(restarted.Client, jobId));
        Assert.Equal((JobStatus.Succeeded, 2), (resumed.Status, resumed.Attempts));
        var result = JsonSerializer.Deserialize<SaeRetrainingResult>(resumed.Result!, ApiJson.Options)!;
        Assert.True(result.Training!.Resumed, "attempt 2 did not continue the checkpoint");

        byte[] want = File.ReadAllBytes(Path.Combine(referenceData, "retraining", referenceJob, "sae", "sae_weights.safetensors"));
        byte[] got = File.ReadAllBytes(Path.Combine(result.WeightsPath, "sae_weights.safetensors"));
        output.WriteLine($"weights: {want.Length} and {got.Length} bytes ({clock.Elapsed.TotalSeconds:F1} s)");
        Assert.Equal(want, got);
    }

    static async Task<string> SubmitAsync(HttpClient client, TestWorld world)
    {
        async Task Expect(Task<HttpResponseMessage> request, string what)
        {
            var response = await request;
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await Expect(client.PostAsync("/api/models", new { id = IngestionRuns.ModelId, path = world.ModelFolder }), "POST model");
        await Expect(client.PostAsync("/api/saes", new { id = IngestionRuns.SaeId, modelId = IngestionRuns.ModelId, path = world.SaeFolder, layer = TestWorld.Layer, tokens = "all" }), "POST SAE");
        await Expect(client.PostAsync("/api/corpora", new { id = IngestionRuns.CorpusId, kind = "folder", path = world.CorpusFolder }), "POST corpus");
        var job = await (await client.PostAsync($"/api/saes/{IngestionRuns.SaeId}/retraining", new
        {
            corpusIds = new[] { IngestionRuns.CorpusId }, steps = Steps, batchSize = 64, checkpointEvery = CheckpointEvery, seed = 8,
            evaluationImages = 4, coActivationImages = 0,
        })).ReadAsync<JobView>();
        return job.JobId;
    }

    static async Task<JobView> WaitAsync(HttpClient client, string jobId)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        JobView view;
        do
        {
            view = await client.GetAsync<JobView>($"/api/jobs/{jobId}");
            if (view.Status.IsEnded()) return view;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"job {jobId} is still {view.Status} after {JobTimeout.TotalSeconds} s");
    }

    static Dictionary<string, string?> Settings(string dataFolder) => new()
    {
        ["Silo:DataFolder"] = dataFolder,
        ["Silo:Storage"] = "Sqlite",
        ["Jobs:LeaseSeconds"] = "3",
        ["Jobs:HeartbeatSeconds"] = "0.5",
        ["Jobs:ScanSeconds"] = "1",
        ["Demo:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Actors"] = "Information",
    };
}
