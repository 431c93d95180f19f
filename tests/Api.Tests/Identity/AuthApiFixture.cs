using Actors.Api.Tests.Fixtures;
using Actors.Testing;

namespace Actors.Api.Tests.Identity;

/// <summary>
/// An API over SQLite with nothing registered, configured for authentication tests: anonymous latent reads on, the
/// Orleans Dashboard served, and a failed-authentication limit per minute (in-memory test clients share one address, so
/// a class that exhausts the limit has an API of its own: <see cref="ThrottledAuthApiFixture"/>).
/// </summary>
public class AuthApiFixture : IAsyncLifetime
{
    protected virtual int FailedAttemptsPerMinute => 50;

    readonly string folder = Directory.CreateTempSubdirectory("auth-api-").FullName;
    TestStorage storage = null!;
    public ApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        storage = await TestStorage.CreateAsync(StorageKind.Sqlite, Path.Combine(folder, "data"));
        var settings = storage.Settings;
        settings["Demo:Enabled"] = "false";
        settings["Auth:AnonymousReads"] = "true";
        settings["Auth:FailedAttemptsPerMinute"] = FailedAttemptsPerMinute.ToString();
        settings["Cluster:Dashboard"] = "true";   // Orleans's dashboard, which only administrators may open
        Factory = new ApiFactory(settings);
        using var warm = Factory.CreateClient();
        for (int i = 0; i < 100 && !(await warm.GetAsync("/api/me")).IsSuccessStatusCode; i++) await Task.Delay(100);   // first admin created
    }

    /// <summary>A client sending <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Remove(TestKeys.Header);
        if (key is not null) client.DefaultRequestHeaders.Add(TestKeys.Header, key);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await storage.DisposeAsync();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}

public sealed class ThrottledAuthApiFixture : AuthApiFixture
{
    protected override int FailedAttemptsPerMinute => 3;
}
