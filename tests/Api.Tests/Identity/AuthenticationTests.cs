using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Testing;

namespace Actors.Api.Tests.Identity;

/// <summary>Who may call what: API keys, roles, revocation, anonymous reads, the audit log and the web session.</summary>
public sealed class AuthenticationTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? mentions = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (mentions is not null) Assert.Contains(mentions, body);
        return JsonDocument.Parse(body).RootElement;
    }

    async Task<(string UserId, string Key)> NewUserAsync(bool admin = false)
    {
        using var adminClient = fixture.Client(TestKeys.Admin);
        var created = await adminClient.PostAsJsonAsync("/api/users", new { name = $"user-{Guid.NewGuid():N}", admin });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("user").GetProperty("userId").GetString()!, body.GetProperty("apiKey").GetString()!);
    }

    [Fact]
    public async Task ARouteWithoutAKeyOrWithAWrongOneIsA401ProblemAndHealthStaysOpen()
    {
        using var anonymous = fixture.Client(null);
        await ProblemAsync(await anonymous.GetAsync("/api/saes"), HttpStatusCode.Unauthorized, "x-api-key");
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/corpora", new { id = "c", kind = "folder", path = "/tmp" }), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        using var malformed = fixture.Client("not-a-key");
        await ProblemAsync(await malformed.GetAsync("/api/saes"), HttpStatusCode.Unauthorized, "not an API key");
        using var unknown = fixture.Client("ak_000000000000_this-key-was-never-issued-anywhere");
        await ProblemAsync(await unknown.GetAsync("/api/saes"), HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Fact]
    public async Task AUserWithoutTheAdminRoleReadsButCannotRegisterArtifactsFromServerPaths()
    {
        var (_, key) = await NewUserAsync();
        using var user = fixture.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/saes")).StatusCode);
        await ProblemAsync(await user.PostAsJsonAsync("/api/models", new { id = "m", path = "/tmp" }), HttpStatusCode.Forbidden, "role");
        await ProblemAsync(await user.PostAsJsonAsync("/api/saes", new { id = "s", modelId = "m", path = "/tmp" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await user.PostAsJsonAsync("/api/corpora", new { id = "c", kind = "folder", path = "/tmp" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await user.GetAsync("/api/users"), HttpStatusCode.Forbidden);
        await ProblemAsync(await user.PostAsJsonAsync("/api/users", new { name = "eve", admin = true }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ARevokedKeyIsRefusedOnTheVeryNextRequest()
    {
        var (userId, key) = await NewUserAsync();
        using var user = fixture.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);
        string keyId = key.Split('_')[1];
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"/api/keys/{keyId}")).StatusCode);
        await ProblemAsync(await user.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "revoked");

        using var admin = fixture.Client(TestKeys.Admin);
        var keys = JsonDocument.Parse(await admin.GetStringAsync($"/api/users/{userId}/keys")).RootElement;
        Assert.Equal(JsonValueKind.String, keys[0].GetProperty("revokedAt").ValueKind);
        Assert.DoesNotContain("secret", keys.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AUserManagesOnlyTheirOwnKeys()
    {
        var (aliceId, aliceKey) = await NewUserAsync();
        var (bobId, _) = await NewUserAsync();
        using var alice = fixture.Client(aliceKey);
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/api/users/{aliceId}/keys", null)).StatusCode);
        await ProblemAsync(await alice.PostAsync($"/api/users/{bobId}/keys", null), HttpStatusCode.Forbidden);
        await ProblemAsync(await alice.GetAsync($"/api/users/{bobId}/keys"), HttpStatusCode.Forbidden);
        string adminKeyId = TestKeys.Admin.Split('_')[1];
        await ProblemAsync(await alice.DeleteAsync($"/api/keys/{adminKeyId}"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WithAnonymousReadsOnLatentStatisticsAnswerWithoutAKeyAndEverythingElseStillNeedsOne()
    {
        using var anonymous = fixture.Client(null);
        // No SAE is registered: a latent read reaches the route (404 naming the SAE), not the 401 of the fallback policy.
        await ProblemAsync(await anonymous.GetAsync("/api/saes/no-such-sae/latents"), HttpStatusCode.NotFound, "no-such-sae");
        await ProblemAsync(await anonymous.GetAsync("/api/saes/no-such-sae/latents/3"), HttpStatusCode.NotFound, "no-such-sae");
        await ProblemAsync(await anonymous.GetAsync("/api/corpora"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.PostAsync("/api/saes/no-such-sae/latents", null), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheOrleansDashboardIsForAdministratorsOnlyEvenWithAnonymousReadsOn()
    {
        // Its routes read any grain's state (the user directory's key hashes, every team's investigations).
        var (_, key) = await NewUserAsync();
        using var anonymous = fixture.Client(null);
        using var user = fixture.Client(key);
        using var admin = fixture.Client(TestKeys.Admin);
        foreach (var route in new[] { "/dashboard/GrainTypes", "/dashboard/DashboardCounters", "/dashboard/GrainState?grainId=directory&grainType=user-directory" })
        {
            var asAnonymous = await anonymous.GetAsync(route);   // a browser without a session is sent to sign in
            Assert.True(asAnonymous.StatusCode == HttpStatusCode.Redirect && asAnonymous.Headers.Location!.ToString().Contains("/sign-in"),
                $"{route} anonymous: {(int)asAnonymous.StatusCode} {asAnonymous.Headers.Location}");
            Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(route)).StatusCode);
        }
        var types = await admin.GetAsync("/dashboard/GrainTypes");
        Assert.Equal(HttpStatusCode.OK, types.StatusCode);
        Assert.Contains("Latent", await types.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryWriteIsInTheAuditLogWithWhoWhatAndStatusAndOnlyAdminsReadIt()
    {
        var (_, key) = await NewUserAsync();
        using var user = fixture.Client(key);
        var forbidden = await user.PostAsJsonAsync("/api/models", new { id = $"audit-{Guid.NewGuid():N}", path = "/tmp" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ProblemAsync(await user.GetAsync("/api/audit"), HttpStatusCode.Forbidden);

        using var admin = fixture.Client(TestKeys.Admin);
        var entries = JsonDocument.Parse(await admin.GetStringAsync("/api/audit")).RootElement.EnumerateArray().ToList();
        var me = JsonDocument.Parse(await user.GetStringAsync("/api/me")).RootElement;
        Assert.Contains(entries, e => e.GetProperty("userId").GetString() == me.GetProperty("userId").GetString()
            && e.GetProperty("method").GetString() == "POST" && e.GetProperty("path").GetString() == "/api/models"
            && e.GetProperty("status").GetInt32() == 403);
        Assert.Contains(entries, e => e.GetProperty("userName").GetString() == "admin" && e.GetProperty("path").GetString() == "/api/users"
            && e.GetProperty("status").GetInt32() == 201);
        await ProblemAsync(await admin.GetAsync("/api/audit?day=yesterday"), HttpStatusCode.BadRequest, "yesterday");
    }

    /// <summary>The routes only admins may call (registration from server paths, users, the audit log).</summary>
    static readonly HashSet<string> AdminOnly = ["POST /api/models", "POST /api/saes", "POST /api/corpora", "GET /api/users", "POST /api/users", "GET /api/audit",
        // another user's keys ("1" is not the caller): only admins
        "GET /api/users/{userId}/keys", "POST /api/users/{userId}/keys"];

    [Fact]
    public async Task EveryRouteInTheDocumentRefusesAnonymousCallersAndOnlyAdminRoutesRefuseAUser()
    {
        var (_, key) = await NewUserAsync();
        using var anonymous = fixture.Client(null);
        using var user = fixture.Client(key);
        using var admin = fixture.Client(TestKeys.Admin);
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        int routes = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (path.Name == "/health" || path.Name.StartsWith("/dashboard", StringComparison.Ordinal)) continue;   // /health is open; Orleans's dashboard sends a caller without a session to sign in (a redirect, not a 401): its own test
            string url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", "1");
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                string route = $"{method.Method} {path.Name}";
                HttpRequestMessage Request() => new(method, url) { Content = method == HttpMethod.Get || method == HttpMethod.Delete ? null : JsonContent.Create(new { }) };
                routes++;
                var asAnonymous = await anonymous.SendAsync(Request());
                bool anonymousRead = method == HttpMethod.Get && path.Name.StartsWith("/api/saes/{saeId}/latents", StringComparison.Ordinal);   // Auth:AnonymousReads is on here
                Assert.True(anonymousRead ? asAnonymous.StatusCode != HttpStatusCode.Unauthorized : asAnonymous.StatusCode == HttpStatusCode.Unauthorized,
                    $"{route} anonymous: {(int)asAnonymous.StatusCode}");
                var asUser = await user.SendAsync(Request());
                if (AdminOnly.Contains(route)) Assert.True(asUser.StatusCode == HttpStatusCode.Forbidden, $"{route} as a user: {(int)asUser.StatusCode}");
                else Assert.True(asUser.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{route} as a user: {(int)asUser.StatusCode}");
                var asAdmin = await admin.SendAsync(Request());
                Assert.True(asAdmin.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.InternalServerError),
                    $"{route} as admin: {(int)asAdmin.StatusCode}");
            }
        }
        Assert.True(routes > 40, $"only {routes} routes");
    }

    [Fact]
    public async Task TheOpenApiDocumentDeclaresTheKeySchemeAndEveryProtectedOperationItsAuthResponses()
    {
        using var anonymous = fixture.Client(null);
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "x-api-key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        int operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                bool anonymousRoute = path.Name == "/health";
                var responses = operation.Value.GetProperty("responses");
                if (anonymousRoute) { Assert.False(operation.Value.TryGetProperty("security", out _), $"{path.Name} is anonymous"); continue; }
                operations++;
                Assert.True(operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{operation.Name} {path.Name} declares no security");
                var expected = new List<string> { "401", "403" };
                if (path.Name.Contains('{')) expected.Add("404");
                if (path.Name.StartsWith("/api/investigations/{id}", StringComparison.Ordinal) && operation.Name != "get") expected.AddRange(["409", "412", "428"]);
                foreach (var status in expected)
                    Assert.True(responses.TryGetProperty(status, out _), $"{operation.Name} {path.Name} does not document {status}");
            }
        Assert.True(operations > 20, $"only {operations} operations");
    }

    [Fact]
    public async Task TheSignInFormExchangesAKeyForASecureHttpOnlySameSiteCookieAndNeedsItsAntiForgeryToken()
    {
        var (_, key) = await NewUserAsync();
        using var browser = fixture.Client(null);
        var form = await browser.GetAsync("/sign-in");
        string html = await form.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
        Assert.True(token.Success, html);
        string antiforgeryCookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        var withoutToken = new HttpRequestMessage(HttpMethod.Post, "/sign-in") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key }) };
        withoutToken.Headers.Add("Cookie", antiforgeryCookie);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SendAsync(withoutToken)).StatusCode);

        var signIn = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value), ["key"] = key, ["returnUrl"] = "/api/me",
            }),
        };
        signIn.Headers.Add("Cookie", antiforgeryCookie);
        var signedIn = await browser.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        string session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors.session="));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);

        var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        me.Headers.Add("Cookie", session.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(me)).StatusCode);
    }
}

/// <summary>Failed authentications are limited per address: past the limit even a correct key is refused with 429.</summary>
public sealed class FailedAuthenticationLimitTests(ThrottledAuthApiFixture fixture) : IClassFixture<ThrottledAuthApiFixture>
{
    [Fact]
    public async Task AfterTheAllowedFailuresEveryAttemptIsA429WithRetryAfterEvenWithAValidKey()
    {
        using var guesser = fixture.Client("ak_000000000000_wrong-guess-wrong-guess-wrong");
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/saes")).StatusCode);
        var refused = await guesser.GetAsync("/api/saes");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        using var admin = fixture.Client(TestKeys.Admin);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.GetAsync("/api/saes")).StatusCode);
    }
}

/// <summary>
/// The sign-in form checks a key as the x-api-key header does (one <c>ApiKeyCheck</c>): a wrong or malformed key is
/// refused, the refusal counts against the address's failures whichever way it came, and past the limit both refuse.
/// </summary>
public sealed class SignInFailureLimitTests(ThrottledAuthApiFixture fixture) : IClassFixture<ThrottledAuthApiFixture>
{
    async Task<HttpStatusCode> SignInAsync(HttpClient browser, string key)
    {
        var form = await browser.GetAsync("/sign-in");
        if (form.StatusCode != HttpStatusCode.OK) return form.StatusCode;
        var token = System.Text.RegularExpressions.Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
        var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value), ["key"] = key,
            }),
        };
        if (form.Headers.TryGetValues("Set-Cookie", out var cookies))   // a client that keeps cookies sends them itself after the first form
            post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        return (await browser.SendAsync(post)).StatusCode;
    }

    [Fact]
    public async Task FormAndHeaderFailuresCountTogetherAndPastTheLimitBothRefuse()
    {
        using var browser = fixture.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(browser, "not-a-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(browser, "ak_000000000000_wrong-guess-wrong-guess-wrong"));
        using var guesser = fixture.Client("ak_000000000000_wrong-guess-wrong-guess-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/saes")).StatusCode);   // the third failure
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(browser, TestKeys.Admin));
        using var admin = fixture.Client(TestKeys.Admin);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.GetAsync("/api/saes")).StatusCode);
    }
}
