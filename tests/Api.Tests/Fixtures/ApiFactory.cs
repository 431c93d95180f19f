using Actors.Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Actors.Testing;
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
        foreach (var (key, value) in TestKeys.WithAdminKey(settings)) builder.UseSetting(key, value);
    }

    /// <summary>Clients send the first admin's key unless a test removes it.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Admin);
    }
}
