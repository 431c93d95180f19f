using System.Net;
using System.Text.Json;
using Actors.Grains.Jobs;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Testing;
using Actors.Vision.Clip;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// One API over SQLite with what the evaluation jobs read, nothing ingested: the test world's tiny model and SAE (layer
/// <see cref="TestWorld.Layer"/>, all tokens) and its corpus of 3 classes × 8 PNGs with the class-label vocabulary; a second tiny
/// model (another seed) with the same SAE weights registered on it (<see cref="OtherSaeId"/>, a second backbone), and an SAE
/// with other weights on it (<see cref="ForeignSaeId"/>).
/// </summary>
public sealed class EvaluationApiFixture : IAsyncLifetime
{
    public const string ModelId = "tiny", OtherModelId = "tiny-b", SaeId = "sae", OtherSaeId = "sae-b", ForeignSaeId = "sae-c",
        CorpusId = "shapes", VocabularyId = "shape-classes";

    public TestWorld World { get; } = TestWorld.Create(imagesPerClass: 8, withBadFiles: false);
    public HttpClient Client => host.Client;
    ApiHost host = null!;

    public async Task InitializeAsync()
    {
        host = await ApiHost.StartAsync(Path.Combine(World.Root, "data"), settings => settings["Jobs:HeartbeatSeconds"] = "0.2");
        string otherModel = Path.Combine(World.Root, "model-b"), foreignSae = Path.Combine(World.Root, "sae-c");
        RandomClipModel.Write(otherModel, RandomClipModel.Preset("tiny"), seed: 99);
        SaeLensFolder.Write(foreignSae, SparseAutoencoder.CreateRandom(new TopKSaeConfig(World.VisionWidth, TestWorld.DSae, TestWorld.K), 98));
        await Client.PostAsync("/api/models", new { id = ModelId, path = World.ModelFolder }).ExpectSetupAsync();
        await Client.PostAsync("/api/models", new { id = OtherModelId, path = otherModel }).ExpectSetupAsync();
        await Client.PostAsync("/api/saes", new { id = SaeId, modelId = ModelId, path = World.SaeFolder, layer = TestWorld.Layer, tokens = "all" }).ExpectSetupAsync();
        await Client.PostAsync("/api/saes", new { id = OtherSaeId, modelId = OtherModelId, path = World.SaeFolder, layer = TestWorld.Layer, tokens = "all" }).ExpectSetupAsync();
        await Client.PostAsync("/api/saes", new { id = ForeignSaeId, modelId = OtherModelId, path = foreignSae, layer = TestWorld.Layer, tokens = "all" }).ExpectSetupAsync();
        await Client.PostAsync("/api/corpora", new { id = CorpusId, kind = "folder", path = World.CorpusFolder }).ExpectSetupAsync();
        await Client.PutAsync($"/api/vocabularies/{VocabularyId}?modelId={ModelId}",
            new StringContent(string.Join('\n', TestWorld.Classes), System.Text.Encoding.UTF8, "text/plain")).ExpectSetupAsync();
    }

    /// <summary>Starts an evaluation (202 with the job's progress resource), waits for the job to succeed; returns it and its result.</summary>
    public async Task<(JobView Job, JsonElement Result)> RunAsync(string kind, object body, TimeSpan? timeout = null)
    {
        var response = await Client.PostAsync($"/api/saes/{SaeId}/evaluations/{kind}", body);
        var accepted = await response.ReadAsync<JobView>();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/jobs/{accepted.JobId}", response.Headers.Location?.OriginalString);
        Assert.Equal((kind, SaeId), (accepted.Kind, accepted.Subject));
        var job = await Client.WaitForJobAsync(accepted.JobId, timeout ?? TimeSpan.FromSeconds(90));
        Assert.True(job.Status == JobStatus.Succeeded, $"{kind} job {job.JobId} ended {job.Status}: {job.Error}");
        return (job, JsonDocument.Parse(job.Result!).RootElement);
    }

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
        World.Dispose();
    }
}
