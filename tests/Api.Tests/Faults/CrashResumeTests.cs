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
    const string ModelId = "tiny", SaeId = "sae", CorpusId = "shapes", VocabularyId = "shape-classes";
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
        await WithLogAsync(reference, async () => { await RegisterAndStartAsync(reference.Client, world); return 0; });

        var first = await ApiProcess.StartAsync("crashed", Settings(crashedData), StartTimeout);
        long appliedAtKill;
        try
        {
            await RegisterAndStartAsync(first.Client, world);
            appliedAtKill = await WithLogAsync(first, () => KillMidRunAsync(first, batches));
        }
        finally { await first.DisposeAsync(); }
        output.WriteLine($"killed with {appliedAtKill} of {batches} batches checkpointed ({clock.Elapsed.TotalSeconds:F1} s)");

        await using var restarted = await ApiProcess.StartAsync("restarted", Settings(crashedData), StartTimeout);
        var resumed = await WithLogAsync(restarted, () => restarted.Client.WaitForCompletionAsync(CorpusId, IngestTimeout));
        var uninterrupted = await WithLogAsync(reference, () => reference.Client.WaitForCompletionAsync(CorpusId, IngestTimeout));
        output.WriteLine($"both runs completed ({clock.Elapsed.TotalSeconds:F1} s)");

        Assert.Equal(batches, uninterrupted.BatchesApplied);
        Assert.Equal(uninterrupted.BatchesApplied, resumed.BatchesApplied);
        Assert.Equal(uninterrupted.ImagesDone, resumed.ImagesDone);
        Assert.Equal(uninterrupted.FailedFiles.OrderBy(f => f.Path, StringComparer.Ordinal),
                     resumed.FailedFiles.OrderBy(f => f.Path, StringComparer.Ordinal));

        var urls = new List<string> { $"/api/saes/{SaeId}", $"/api/saes/{SaeId}/latents?sort=latent&descending=false&pageSize=500" };
        urls.AddRange(Enumerable.Range(0, TestWorld.DSae).Select(s => $"/api/saes/{SaeId}/latents/{s}"));
        urls.AddRange(TestWorld.Classes.Select(c => $"/api/vocabularies/{VocabularyId}/concepts/{c}"));
        var differences = new List<string>();
        int firing = 0;
        foreach (var url in urls)
        {
            var expected = JsonDocument.Parse(await WithLogAsync(reference, () => reference.Client.GetStringAsync(url))).RootElement;
            var actual = JsonDocument.Parse(await WithLogAsync(restarted, () => restarted.Client.GetStringAsync(url))).RootElement;
            differences.AddRange(JsonComparison.Differences(expected, actual, 1e-9).Select(d => $"{url} {d}"));
            if (expected.TryGetProperty("firingTokens", out var f) && f.GetInt64() > 0) firing++;
        }
        output.WriteLine($"compared {urls.Count} documents ({firing} firing latents) in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(firing > 5, $"only {firing} latents fired; the comparison would prove little");
        Assert.True(differences.Count == 0, $"{differences.Count} differences after resume:\n{string.Join('\n', differences.Take(40))}");
    }

    /// <summary>Runs a step against a child API; if it fails, the failure carries the process's recent output.</summary>
    static async Task<T> WithLogAsync<T>(ApiProcess api, Func<Task<T>> step)
    {
        try { return await step(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            throw new InvalidOperationException($"API '{api.Name}': {e.Message}\n{api.Log}", e);
        }
    }

    static Dictionary<string, string?> Settings(string dataFolder) => new()
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

    static async Task RegisterAndStartAsync(HttpClient client, TestWorld world)
    {
        async Task Expect(Task<HttpResponseMessage> request, string what)
        {
            var response = await request;
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await Expect(client.PostAsync("/api/models", new { id = ModelId, path = world.ModelFolder }), "POST model");
        await Expect(client.PostAsync("/api/saes", new { id = SaeId, modelId = ModelId, path = world.SaeFolder, layer = TestWorld.Layer, tokens = "all" }), "POST SAE");
        await Expect(client.PostAsync("/api/corpora", new { id = CorpusId, kind = "folder", path = world.CorpusFolder }), "POST corpus");
        // The vocabulary whose concepts are the corpus's class labels receives the class-level activations.
        await Expect(client.PutAsync($"/api/vocabularies/{VocabularyId}?modelId={ModelId}",
            new StringContent(string.Join('\n', TestWorld.Classes), System.Text.Encoding.UTF8, "text/plain")), "PUT vocabulary");
        await Expect(client.PostAsync($"/api/corpora/{CorpusId}/ingestion", new { saeId = SaeId, vocabularyId = VocabularyId }), "POST ingestion");
    }

    /// <summary>
    /// Polls progress as fast as the API answers and kills the process once a few checkpoints are durable but
    /// most of the corpus is still ahead, so the restart has both batches to skip and batches to (re-)send.
    /// </summary>
    static async Task<long> KillMidRunAsync(ApiProcess api, int batches)
    {
        var deadline = DateTime.UtcNow + IngestTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var view = await api.Client.GetAsync<CorpusView>($"/api/corpora/{CorpusId}");
            Assert.False(view.Status == CorpusStatus.Completed,
                $"ingestion completed ({view.BatchesApplied} batches) before the kill could land; make the corpus bigger or batches smaller");
            Assert.False(view.Status == CorpusStatus.Failed, $"ingestion failed before the kill: {view.Error}");
            if (view.BatchesApplied >= 3 * CheckpointEveryBatches)
            {
                Assert.True(view.BatchesApplied < batches - 4 * CheckpointEveryBatches,
                    $"{view.BatchesApplied} of {batches} batches were done at the first look past the threshold; the kill would not land mid-run");
                api.Kill();
                return view.BatchesApplied;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"ingestion made no progress in {IngestTimeout.TotalSeconds} s:\n{api.Log}");
    }
}
