using Actors.Api.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Api.Tests.Hosting;

/// <summary>
/// The API does not watch its working directory (often its data folder) for changed settings files: no JSON
/// configuration source reloads on change, so no recursive file watcher wakes for every stored page and thumbnail.
/// </summary>
public class ConfigReloadTests
{
    [Fact]
    public async Task NoSettingsFileIsWatched()
    {
        string data = Directory.CreateTempSubdirectory("api-reload-").FullName;
        try
        {
            await using var factory = new ApiFactory(new Dictionary<string, string?> { ["Silo:DataFolder"] = data, ["Demo:Enabled"] = "false" });
            var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
            var json = configuration.Providers.OfType<JsonConfigurationProvider>().Select(p => p.Source).ToList();
            Assert.Contains(json, s => s.Path == "appsettings.json");
            Assert.All(json, s => Assert.False(s.ReloadOnChange, $"{s.Path} reloads on change"));
        }
        finally { Directory.Delete(data, recursive: true); }
    }
}
