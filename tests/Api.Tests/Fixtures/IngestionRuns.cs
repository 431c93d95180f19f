using System.Text.Json;
using Actors.GpuHost.Jobs.Labelling;
using Actors.Grains.Registry;
using Actors.Testing;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// The fault tests' shared steps: register the test world with an API and start ingesting it, wait, and compare
/// every document a researcher reads (SAE, latent listing, each latent, each class concept) between two runs.
/// </summary>
public static class IngestionRuns
{
    public const string ModelId = "tiny", SaeId = "sae", CorpusId = "shapes", VocabularyId = "shape-classes";

    /// <summary>
    /// The kill tests' corpus: 600 images and 2 bad files, 301 batches of 2. After warm-up the tiny model ingests a batch
    /// in about 5 ms, so a kill aimed past the 6th batch has about 1.5 s to land before the run ends (with 61 batches it
    /// had 0.3 s, and one poll held up by the suite's other tests missed it).
    /// </summary>
    public static TestWorld CreateKillWorld() => TestWorld.Create(imagesPerClass: 200, withBadFiles: true);

    public static async Task RegisterAndStartAsync(HttpClient client, TestWorld world)
    {
        // A 503 (a cluster whose GPU host this API has not seen join yet) is sent again, as a client would.
        async Task Expect(Func<Task<HttpResponseMessage>> request, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            var response = await request();
            while (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
                response = await request();
            }
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await Expect(() => client.PostAsync("/api/models", new { id = ModelId, path = world.ModelFolder }), "POST model");
        await Expect(() => client.PostAsync("/api/saes", new { id = SaeId, modelId = ModelId, path = world.SaeFolder, layer = TestWorld.Layer, tokens = "all" }), "POST SAE");
        await Expect(() => client.PostAsync("/api/corpora", new { id = CorpusId, kind = "folder", path = world.CorpusFolder }), "POST corpus");
        // The vocabulary whose concepts are the corpus's class labels receives the class-level activations.
        await Expect(() => client.PutAsync($"/api/vocabularies/{VocabularyId}?modelId={ModelId}",
            new StringContent(string.Join('\n', TestWorld.Classes), System.Text.Encoding.UTF8, "text/plain")), "PUT vocabulary");
        await Expect(() => client.PostAsync($"/api/corpora/{CorpusId}/ingestion", new { saeId = SaeId, vocabularyId = VocabularyId }), "POST ingestion");
    }

    /// <summary>Runs a step against a child process; if it fails, the failure carries the process's recent output.</summary>
    public static async Task<T> WithLogAsync<T>(ApiProcess api, Func<Task<T>> step)
    {
        try { return await step(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            throw new InvalidOperationException($"API '{api.Name}': {e.Message}\n{api.Log}", e);
        }
    }

    /// <summary>Both runs completed with the same counts, and every document agrees to 1e-9; returns firing latents.</summary>
    public static async Task<(int Documents, int Firing, List<string> Differences)> CompareAsync(ApiProcess expected, ApiProcess actual,
        int batches, TimeSpan timeout)
    {
        var want = await WithLogAsync(expected, () => expected.Client.WaitForCompletionAsync(CorpusId, timeout));
        var got = await WithLogAsync(actual, () => actual.Client.WaitForCompletionAsync(CorpusId, timeout));
        // The labelling jobs queued by the vocabulary's registration and by the completed ingestion write semantic labels:
        // both runs' must have ended (a job a kill interrupted resumes once its lease runs out).
        await WithLogAsync(expected, () => expected.Client.WaitForJobsAsync(LatentLabellingJobs.Kind, atLeast: 2, timeout));
        await WithLogAsync(actual, () => actual.Client.WaitForJobsAsync(LatentLabellingJobs.Kind, atLeast: 2, timeout));
        Assert.Equal(batches, want.BatchesApplied);
        Assert.Equal(want.BatchesApplied, got.BatchesApplied);
        Assert.Equal(want.ImagesDone, got.ImagesDone);
        Assert.Equal(want.FailedFiles.OrderBy(f => f.Path, StringComparer.Ordinal), got.FailedFiles.OrderBy(f => f.Path, StringComparer.Ordinal));

        var urls = new List<string> { $"/api/saes/{SaeId}", $"/api/saes/{SaeId}/latents?sort=latent&descending=false&pageSize=500" };
        urls.AddRange(Enumerable.Range(0, TestWorld.DSae).Select(s => $"/api/saes/{SaeId}/latents/{s}"));
        urls.AddRange(TestWorld.Classes.Select(c => $"/api/vocabularies/{VocabularyId}/concepts/{c}"));
        var differences = new List<string>();
        int firing = 0;
        foreach (var url in urls)
        {
            var e = JsonDocument.Parse(await WithLogAsync(expected, () => expected.Client.GetStringAsync(url))).RootElement;
            var a = JsonDocument.Parse(await WithLogAsync(actual, () => actual.Client.GetStringAsync(url))).RootElement;
            differences.AddRange(JsonComparison.Differences(e, a, 1e-9).Select(d => $"{url} {d}"));
            if (e.TryGetProperty("firingTokens", out var f) && f.GetInt64() > 0) firing++;
        }
        return (urls.Count, firing, differences);
    }

    /// <summary>Waits until a few checkpoints are durable but most of the corpus is ahead, then runs <paramref name="kill"/>.</summary>
    public static async Task<(long Applied, string Polls)> KillMidRunAsync(ApiProcess api, int batches, int checkpointEvery, Action kill, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var seen = new List<string>();   // every poll's answer, for a failure message that shows the race
        string Seen() => $"polls (s: status batches): {string.Join(", ", seen.TakeLast(40))}";
        while (clock.Elapsed < timeout)
        {
            var view = await api.Client.GetAsync<CorpusView>($"/api/corpora/{CorpusId}");
            seen.Add($"{clock.Elapsed.TotalSeconds:F2}: {view.Status} {view.BatchesApplied}");
            Assert.False(view.Status == CorpusStatus.Completed,
                $"ingestion completed ({view.BatchesApplied} batches) before the kill could land; {Seen()}");
            Assert.False(view.Status is CorpusStatus.Failed or CorpusStatus.Cancelled, $"ingestion {view.Status} before the kill: {view.Error}");
            if (view.BatchesApplied >= 3 * checkpointEvery)
            {
                Assert.True(view.BatchesApplied < batches - 4 * checkpointEvery,
                    $"{view.BatchesApplied} of {batches} batches were done at the first look past the threshold; the kill would not land mid-run; {Seen()}");
                kill();
                return (view.BatchesApplied, Seen());
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"ingestion made no progress in {timeout.TotalSeconds} s; {Seen()}:\n{api.Log}");
    }
}
