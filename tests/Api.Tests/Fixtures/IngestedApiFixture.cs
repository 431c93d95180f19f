using System.Net;
using Actors.Testing;
using Actors.GpuHost.Jobs.Labelling;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// One API per test class over one storage, with the test world registered and ingested once: model "tiny",
/// SAE "sae" (layer <see cref="TestWorld.Layer"/>, all tokens), vocabulary "shape-classes" (the class labels), corpus "shapes" (3 classes × 8 PNGs plus a corrupt
/// and a truncated file). The registration responses are kept so tests can check their status codes and bodies.
/// </summary>
public abstract class IngestedApiFixture(StorageKind kind) : IAsyncLifetime
{
    public const string ModelId = "tiny", SaeId = "sae", CorpusId = "shapes", VocabularyId = "shape-classes";
    public const int BatchSize = 8, ThumbnailSize = 24, MaxRequestBytes = 64 * 1024;

    public TestWorld World { get; } = TestWorld.Create(imagesPerClass: 8, withBadFiles: true);
    public TestStorage Storage { get; private set; } = null!;
    public ApiFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public (HttpStatusCode Status, string Body) ModelRegistration { get; private set; }
    public (HttpStatusCode Status, string Body) SaeRegistration { get; private set; }
    public (HttpStatusCode Status, string Body) CorpusRegistration { get; private set; }
    public (HttpStatusCode Status, string Body) IngestionStart { get; private set; }
    public CorpusView Completed { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Storage = await TestStorage.CreateAsync(kind, Path.Combine(World.Root, "data"));
        var settings = Storage.Settings;
        settings["Ingestion:BatchSize"] = BatchSize.ToString();
        settings["Ingestion:CheckpointEveryBatches"] = "2";
        settings["Ingestion:ThumbnailSize"] = ThumbnailSize.ToString();
        settings["Api:MaxRequestBytes"] = MaxRequestBytes.ToString();
        settings["Demo:Enabled"] = "false";   // the embedded default's start-up job is not under test here
        Configure(settings);
        Factory = new ApiFactory(settings);
        Client = Factory.CreateClient();

        ModelRegistration = await SendAsync("/api/models", new { id = ModelId, path = World.ModelFolder });
        SaeRegistration = await SendAsync("/api/saes", new { id = SaeId, modelId = ModelId, path = World.SaeFolder, layer = TestWorld.Layer, tokens = "all" });
        CorpusRegistration = await SendAsync("/api/corpora", new { id = CorpusId, kind = "folder", path = World.CorpusFolder });
        // The vocabulary whose concepts are the corpus's class labels receives the class-level activations.
        var vocabulary = await Client.PutAsync($"/api/vocabularies/{VocabularyId}?modelId={ModelId}",
            new StringContent(string.Join('\n', TestWorld.Classes), System.Text.Encoding.UTF8, "text/plain"));
        if (!vocabulary.IsSuccessStatusCode)
            throw new InvalidOperationException($"setup failed: vocabulary {(int)vocabulary.StatusCode} {await vocabulary.Content.ReadAsStringAsync()}" +
                $" (model registration: {(int)ModelRegistration.Status} {ModelRegistration.Body})");
        IngestionStart = await SendAsync($"/api/corpora/{CorpusId}/ingestion", new { saeId = SaeId, vocabularyId = VocabularyId });
        if (IngestionStart.Status != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"setup failed: model {ModelRegistration}, SAE {SaeRegistration}, corpus {CorpusRegistration}, ingestion {IngestionStart}");
        Completed = await Client.WaitForCompletionAsync(CorpusId, TimeSpan.FromSeconds(60));
        // Registering the vocabulary and completing the ingestion each queued a labelling of the SAE: let them finish
        // writing before the tests read the latents.
        LabellingJobs = await Client.WaitForJobsAsync(LatentLabellingJobs.Kind, atLeast: 2, TimeSpan.FromSeconds(120));
    }

    /// <summary>The labelling jobs the registration and the ingestion queued, ended.</summary>
    public JobSummary[] LabellingJobs { get; private set; } = [];

    /// <summary>Settings a derived fixture adds or changes before the API starts.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings) { }

    async Task<(HttpStatusCode, string)> SendAsync(string url, object body)
    {
        var response = await Client.PostAsync(url, body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
        if (Storage is not null) await Storage.DisposeAsync();
        World.Dispose();
    }
}

public sealed class SqliteIngestedApiFixture() : IngestedApiFixture(StorageKind.Sqlite);
public sealed class PostgresIngestedApiFixture() : IngestedApiFixture(StorageKind.Postgres);
