using System.Net;
using System.Text;
using System.Text.Json;
using Actors.Grains.Jobs;
using Actors.Testing;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// One API over SQLite with the test world registered for steering: the tiny model, its SAE on every token after
/// block 0, the corpus folder (2 images per class), a vocabulary of the class names, and manifest corpora made from
/// the same images: "water"/"land" halves with a background field and a labelled "spurious" evaluation corpus with
/// groups label × background, and "words"/"clean" corpora whose images pair up by manifest id.
/// </summary>
public sealed class SteeringApiFixture : IAsyncLifetime
{
    public const string ModelId = "tiny", SaeId = "tiny-sae", CorpusId = "colours", VocabularyId = "colours";
    public const string WaterCorpus = "water", LandCorpus = "land", SpuriousCorpus = "spurious", WordsCorpus = "words", CleanCorpus = "clean";

    public TestWorld World { get; } = TestWorld.Create(imagesPerClass: 2, withBadFiles: false);
    public HttpClient Client => host.Client;
    ApiHost host = null!;

    public async Task InitializeAsync()
    {
        host = await ApiHost.StartAsync(Path.Combine(World.Root, "data"));
        await Client.PostAsync("/api/models", new { id = ModelId, path = World.ModelFolder }).ExpectSetupAsync();
        await Client.PostAsync("/api/saes", new { id = SaeId, modelId = ModelId, path = World.SaeFolder, layer = TestWorld.Layer, tokens = "all" }).ExpectSetupAsync();
        await Client.PostAsync("/api/corpora", new { id = CorpusId, kind = "folder", path = World.CorpusFolder }).ExpectSetupAsync();
        await Client.PutAsync($"/api/vocabularies/{VocabularyId}?modelId={ModelId}", new StringContent(string.Join('\n', TestWorld.Classes), Encoding.UTF8, "text/plain")).ExpectSetupAsync();

        // Images in corpus order: blue/000, blue/001, green/000, green/001, red/000, red/001. Even ones are "on water".
        var images = World.GoodImages;
        string Line(int i, string? id = null) => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = id ?? images[i], ["path"] = Path.Combine(World.CorpusFolder, images[i]), ["label"] = images[i][..images[i].IndexOf('/')],
            ["background"] = i % 2 == 0 ? "water" : "land",
        });
        await Manifest(WaterCorpus, Enumerable.Range(0, images.Count).Where(i => i % 2 == 0).Select(i => Line(i)));
        await Manifest(LandCorpus, Enumerable.Range(0, images.Count).Where(i => i % 2 == 1).Select(i => Line(i)));
        await Manifest(SpuriousCorpus, Enumerable.Range(0, images.Count).Select(i => Line(i)));
        // "Words" versions are the other image of the same class: pairs differ, labels agree.
        await Manifest(WordsCorpus, Enumerable.Range(0, images.Count).Select(i => Line(i ^ 1, $"pair-{i}")));
        await Manifest(CleanCorpus, Enumerable.Range(0, images.Count).Select(i => Line(i, $"pair-{i}")));
    }

    async Task Manifest(string id, IEnumerable<string> lines)
    {
        string path = Path.Combine(World.Root, $"{id}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        await Client.PostAsync("/api/corpora", new { id, kind = "manifest", path }).ExpectSetupAsync();
    }

    /// <summary>Polls the job at <paramref name="location"/> until it ends; fails with its error unless it succeeded.</summary>
    public async Task<JsonElement> WaitForJobAsync(string location, TimeSpan timeout)
    {
        var job = await Client.WaitForJobAsync(location[(location.LastIndexOf('/') + 1)..], timeout);
        Assert.True(job.Status == JobStatus.Succeeded, $"job {location} ended {job.Status}: {job.Error}");
        return JsonSerializer.SerializeToElement(job, ApiJson.Options);
    }

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
        World.Dispose();
    }
}
