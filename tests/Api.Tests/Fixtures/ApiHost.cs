using Actors.Testing;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// One API in this process over its own SQLite folder, with an admin client: the start-up and shutdown the fixtures
/// that register their own artifacts share (the embedded demo is off; <paramref name="configure"/> adds settings).
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    readonly TestStorage storage;
    readonly ApiFactory factory;

    ApiHost(TestStorage storage, ApiFactory factory) => (this.storage, this.factory, Client) = (storage, factory, factory.CreateClient());

    public HttpClient Client { get; }

    public static async Task<ApiHost> StartAsync(string dataFolder, Action<Dictionary<string, string?>>? configure = null)
    {
        var storage = await TestStorage.CreateAsync(StorageKind.Sqlite, dataFolder);
        var settings = storage.Settings;
        settings["Demo:Enabled"] = "false";
        configure?.Invoke(settings);
        return new ApiHost(storage, new ApiFactory(settings));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
        await storage.DisposeAsync();
    }
}
