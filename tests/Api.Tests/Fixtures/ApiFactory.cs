using Actors.Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// The real API (src/Api's Program) in memory, configured by settings applied before Program reads its
/// configuration. The type argument only has to live in the API's assembly: GpuHost (also referenced, for the
/// test world) has a public Program too, so the name "Program" is ambiguous here.
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<ApiOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
