using System.Net;
using Actors.Testing;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// One API over SQLite with the test world's tiny model registered as <see cref="ModelId"/> and nothing ingested:
/// enough to register SAEs and vocabularies on it. <see cref="Scratch"/> is a folder for artifacts a test makes.
/// </summary>
public sealed class ModelApiFixture : IAsyncLifetime
{
    public const string ModelId = "tiny";

    public TestWorld World { get; } = TestWorld.Create(imagesPerClass: 1, withBadFiles: false);
    public string Scratch => Path.Combine(World.Root, "scratch");
    public HttpClient Client { get; private set; } = null!;
    TestStorage storage = null!;
    ApiFactory factory = null!;

    public async Task InitializeAsync()
    {
        storage = await TestStorage.CreateAsync(StorageKind.Sqlite, Path.Combine(World.Root, "data"));
        var settings = storage.Settings;
        settings["Demo:Enabled"] = "false";
        factory = new ApiFactory(settings);
        Client = factory.CreateClient();
        var model = await Client.PostAsync("/api/models", new { id = ModelId, path = World.ModelFolder });
        if (model.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"setup failed: model {(int)model.StatusCode} {await model.Content.ReadAsStringAsync()}");
    }

    /// <summary>A new empty folder under <see cref="Scratch"/>.</summary>
    public string NewFolder()
    {
        string folder = Path.Combine(Scratch, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (factory is not null) await factory.DisposeAsync();
        if (storage is not null) await storage.DisposeAsync();
        World.Dispose();
    }
}
