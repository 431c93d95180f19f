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
    public HttpClient Client => host.Client;
    ApiHost host = null!;

    public async Task InitializeAsync()
    {
        host = await ApiHost.StartAsync(Path.Combine(World.Root, "data"));
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
        if (host is not null) await host.DisposeAsync();
        World.Dispose();
    }
}
