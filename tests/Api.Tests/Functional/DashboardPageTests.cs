using System.Net;
using System.Net.Http.Json;
using Actors.Api.Tests.Fixtures;

namespace Actors.Api.Tests.Functional;

/// <summary>The dashboard's pages over HTTP (the browser tests drive them in Chromium): who may see them, encoding, errors, headers.</summary>
[Collection(WorldApiCollection.Name)]
public sealed class DashboardPageTests(WorldApiFixture world)
{
    [Fact]
    public async Task APageRequestWithoutASessionOrKeyIsRedirectedToSignInWithItsReturnUrl()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = world.BaseAddress };
        var response = await anonymous.GetAsync($"/saes/{WorldApiFixture.SaeId}/latents/3");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/sign-in?ReturnUrl=%2Fsaes%2F{WorldApiFixture.SaeId}%2Flatents%2F3", response.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/assets/dashboard.css")).StatusCode);
    }

    [Fact]
    public async Task MarkupInDataIsShownAsTextNotRunAsHtml()
    {
        const string title = "<img src=x onerror=alert(1)> & \"quotes\"";
        Assert.Equal(HttpStatusCode.Created, (await world.Client.PostAsJsonAsync("/api/investigations", new { title })).StatusCode);
        string html = await world.Client.GetStringAsync("/investigations");
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;", html);
    }

    [Fact]
    public async Task AnUnknownSaeLatentCorpusJobOrInvestigationIsA404Page()
    {
        foreach (var path in new[] { "/saes/nope/latents", "/saes/nope/latents/1", $"/saes/{WorldApiFixture.SaeId}/latents/100000", "/corpora/nope", "/jobs/nope", "/investigations/nope" })
        {
            var response = await world.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task APageForbidsInlineScriptAndFramingAndStatesItsServerTime()
    {
        var response = await world.Client.GetAsync($"/saes/{WorldApiFixture.SaeId}/latents");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.StartsWith("render;dur=", response.Headers.GetValues("Server-Timing").Single());
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync());
    }
}
