using System.Net.Http.Json;
using Actors.Grains.Registry;
using Actors.Testing;
using Actors.World;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// The embedded default as a real process on a loopback port, as a user starts it: its start-up demo registers the shipped
/// world CLIP (models/world-clip) and its SAE (models/world-sae), generates <see cref="Images"/> held-out world scenes and
/// ingests them; the fixture waits until it has. The scenes' factors (shape, colour, background, ...) are read from the
/// world manifests, so tests can check what a latent's reference images show. A browser reaches it at <see cref="BaseAddress"/>.
/// </summary>
public sealed class WorldApiFixture : IAsyncLifetime
{
    public const string SaeId = "world-sae", CorpusId = "world-demo", ModelId = "world-clip", Vocabulary = "world";
    public const int Images = 300;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120), IngestTimeout = TimeSpan.FromMinutes(5);

    readonly string root = Directory.CreateTempSubdirectory("world-dashboard-").FullName;
    readonly Dictionary<(string Corpus, string Image), ManifestEntry> scenes = [];
    ApiProcess api = null!;

    public HttpClient Client => api.Client;
    public Uri BaseAddress => api.Client.BaseAddress!;
    public string DataFolder => Path.Combine(root, "data");
    public string Log => api.Log;

    public async Task InitializeAsync()
    {
        string models = Path.Combine(LoopbackService.RepositoryRoot(), "models");
        api = await ApiProcess.StartAsync("world-dashboard", new Dictionary<string, string?>
        {
            ["Silo:DataFolder"] = DataFolder, ["Silo:Storage"] = "Sqlite",
            ["Demo:Enabled"] = "true", ["Demo:Images"] = Images.ToString(), ["Demo:Seed"] = "2026",
            ["Demo:ModelPath"] = Path.Combine(models, "world-clip"), ["Demo:SaePath"] = Path.Combine(models, "world-sae"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, StartTimeout);
        await WaitForCompletionAsync(CorpusId);
        AddScenes(CorpusId, Path.Combine(DataFolder, "corpora", CorpusId, WorldManifest.FileName(WorldSplit.Test)));
    }

    /// <summary>The world factors of an image of a corpus this fixture knows the manifest of.</summary>
    public ManifestEntry Scene(string corpusId, string imageId) => scenes.TryGetValue((corpusId, imageId), out var scene) ? scene
        : throw new KeyNotFoundException($"image '{imageId}' of corpus '{corpusId}' is not in a manifest this fixture read");

    /// <summary>Writes <paramref name="count"/> more held-out scenes as a manifest corpus and registers it (not ingested).</summary>
    public async Task<string> RegisterWorldCorpusAsync(string corpusId, int count, ulong seed)
    {
        string manifest = WorldWriter.Write(Path.Combine(root, corpusId), WorldSplit.Test, count, seed);
        var response = await Client.PostAsJsonAsync("/api/corpora", new { id = corpusId, kind = "manifest", path = manifest });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"registering {corpusId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        AddScenes(corpusId, manifest);
        return manifest;
    }

    public async Task<CorpusView> WaitForCompletionAsync(string corpusId)
    {
        var deadline = DateTime.UtcNow + IngestTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var response = await Client.GetAsync($"/api/corpora/{corpusId}");
            if (response.IsSuccessStatusCode)
            {
                var view = (await response.Content.ReadFromJsonAsync<CorpusView>(ApiJson.Options))!;
                if (view.Status == CorpusStatus.Completed) return view;
                if (view.Status is CorpusStatus.Failed or CorpusStatus.Cancelled)
                    throw new InvalidOperationException($"ingesting {corpusId} {view.Status}: {view.Error}");
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"corpus {corpusId} not ingested within {IngestTimeout.TotalSeconds} s:\n{api.Log}");
    }

    void AddScenes(string corpusId, string manifest)
    {
        foreach (var entry in WorldManifest.Read(manifest)) scenes[(corpusId, entry.Path)] = entry;
    }

    public async Task DisposeAsync()
    {
        if (api is not null) await api.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Tests that share one world API process (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class WorldApiCollection : ICollectionFixture<WorldApiFixture>
{
    public const string Name = "world API";
}
