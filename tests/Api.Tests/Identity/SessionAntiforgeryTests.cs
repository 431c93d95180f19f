using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Actors.Api.Tests.Fixtures;
using Actors.Testing;

namespace Actors.Api.Tests.Identity;

/// <summary>
/// A browser's session cookie goes with every request to the API, whoever made the page that sends it, so a JSON write
/// made with the cookie must carry the anti-forgery token of a dashboard page (RequestVerificationToken header); calls
/// with an API key need none. Against the world API process (no in-memory host of its own: parallel in-memory hosts
/// of the same Program share start-up hooks).
/// </summary>
[Collection(WorldApiCollection.Name)]
public sealed class SessionAntiforgeryTests(WorldApiFixture world)
{
    [Fact]
    public async Task AJsonWriteWithTheSessionCookieIsA400WithoutThePagesTokenAndSucceedsWithIt()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = world.BaseAddress };
        string cookies = await SignInAsync(browser);
        var page = Send(HttpMethod.Get, "/investigations", cookies);
        var rendered = await browser.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        string token = WebUtility.HtmlDecode(Regex.Match(await rendered.Content.ReadAsStringAsync(), "name=\"request-verification-token\" content=\"([^\"]+)\"").Groups[1].Value);
        Assert.NotEmpty(token);

        var withoutToken = Send(HttpMethod.Post, "/api/investigations", cookies, new { title = "forged" });
        var refused = await browser.SendAsync(withoutToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Anti-forgery", await refused.Content.ReadAsStringAsync());

        var forgedToken = Send(HttpMethod.Post, "/api/investigations", cookies, new { title = "forged" });
        forgedToken.Headers.Add("RequestVerificationToken", "CfDJ8-not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SendAsync(forgedToken)).StatusCode);

        var withToken = Send(HttpMethod.Post, "/api/investigations", cookies, new { title = "from the dashboard" });
        withToken.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(withToken)).StatusCode);
    }

    [Fact]
    public async Task AJsonWriteWithAnApiKeyNeedsNoAntiforgeryToken()
    {
        Assert.Equal(HttpStatusCode.Created, (await world.Client.PostAsJsonAsync("/api/investigations", new { title = "from a script" })).StatusCode);
    }

    /// <summary>Signs in through the form with the admin key; the session and anti-forgery cookies as one Cookie header.</summary>
    static async Task<string> SignInAsync(HttpClient browser)
    {
        var form = await browser.GetAsync("/sign-in");
        var field = Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
        string antiforgery = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var signIn = Send(HttpMethod.Post, "/sign-in", antiforgery);
        signIn.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value), ["key"] = TestKeys.Admin,
        });
        var signedIn = await browser.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        string session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors.session=")).Split(';')[0];
        return $"{antiforgery}; {session}";
    }

    static HttpRequestMessage Send(HttpMethod method, string url, string cookies, object? json = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = json is null ? null : JsonContent.Create(json) };
        request.Headers.Add("Cookie", cookies);
        return request;
    }
}
