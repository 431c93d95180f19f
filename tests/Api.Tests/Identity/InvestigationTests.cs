using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Actors.Api.Tests.Identity;

/// <summary>Investigations: the role matrix over every route, lost-update protection by ETags, safe notes, carried notes, watches, audit.</summary>
public sealed class InvestigationTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    sealed record Member(string UserId, HttpClient Client);

    async Task<Member> NewUserAsync()
    {
        using var admin = fixture.Client(TestKeys.Admin);
        var created = await admin.PostAsJsonAsync("/api/users", new { name = $"member-{Guid.NewGuid():N}" });
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        return new Member(body.GetProperty("user").GetProperty("userId").GetString()!, fixture.Client(body.GetProperty("apiKey").GetString()!));
    }

    static async Task<string> ETagAsync(HttpClient client, string id)
    {
        var response = await client.GetAsync($"/api/investigations/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag!.Tag;
    }

    static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object? body, string? etag)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return client.SendAsync(request);
    }

    async Task<(string Id, Member Owner, Member Editor, Member Viewer, string ItemId)> InvestigationAsync()
    {
        var owner = await NewUserAsync();
        var editor = await NewUserAsync();
        var viewer = await NewUserAsync();
        var created = await owner.Client.PostAsJsonAsync("/api/investigations", new { title = "Water or duck?", description = "spurious background" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("investigationId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner.Client, HttpMethod.Put, $"/api/investigations/{id}/members/{editor.UserId}", new { role = "editor" }, await ETagAsync(owner.Client, id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner.Client, HttpMethod.Put, $"/api/investigations/{id}/members/{viewer.UserId}", new { role = "viewer" }, await ETagAsync(owner.Client, id))).StatusCode);
        var added = await SendAsync(owner.Client, HttpMethod.Post, $"/api/investigations/{id}/latents", new { saeId = "sae-x", latent = 7 }, await ETagAsync(owner.Client, id));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        string itemId = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("itemId").GetString()!;
        return (id, owner, editor, viewer, itemId);
    }

    [Fact]
    public async Task EveryRouteAnswersEachRoleAsTheMatrixSaysAndTheAuditLogRecordsEveryWrite()
    {
        var (id, owner, editor, viewer, itemId) = await InvestigationAsync();
        var outsider = await NewUserAsync();
        using var admin = fixture.Client(TestKeys.Admin);
        var callers = new (string Role, HttpClient Client)[] { ("owner", owner.Client), ("editor", editor.Client), ("viewer", viewer.Client), ("outsider", outsider.Client), ("admin", admin) };
        string inv = $"/api/investigations/{id}";
        // route, method, body, expected status per caller (owner, editor, viewer, outsider, admin who is not a member)
        var matrix = new (HttpMethod Method, string Url, Func<object?> Body, int[] Expected)[]
        {
            (HttpMethod.Get, inv, () => null, [200, 200, 200, 404, 200]),
            (HttpMethod.Get, $"{inv}/changes", () => null, [200, 200, 200, 404, 200]),
            (HttpMethod.Get, $"{inv}/audit", () => null, [200, 403, 403, 404, 200]),
            (HttpMethod.Patch, inv, () => new { description = "edited" }, [200, 200, 403, 404, 404]),
            (HttpMethod.Put, $"{inv}/members/{outsider.UserId}", () => new { role = "viewer" }, [200, 403, 403, 404, 404]),
            (HttpMethod.Post, $"{inv}/items", () => new { kind = "concept", @ref = $"world/c-{Guid.NewGuid():N}" }, [200, 200, 403, 404, 404]),
            (HttpMethod.Post, $"{inv}/items/{itemId}/notes", () => new { markdown = "looks like **water**" }, [200, 200, 403, 404, 404]),
            (HttpMethod.Post, $"{inv}/items/{itemId}/votes", () => new { label = "water", value = 1 }, [200, 200, 403, 404, 404]),
            (HttpMethod.Post, $"{inv}/evidence", () => new { kind = "attribution", title = "Act×Grad", saeId = "sae-x", parameters = new { prompt = "a duck" }, result = new { top = new[] { 7 } } }, [200, 200, 403, 404, 404]),
            (HttpMethod.Post, $"{inv}/watches", () => new { saeId = "sae-x", latent = 7 }, [200, 200, 200, 404, 404]),
        };
        var writes = new List<(string Path, string Method, int Status)>();
        foreach (var (method, url, body, expected) in matrix)
            for (int c = 0; c < callers.Length; c++)
            {
                // The outsider was just made a viewer by the owner's PUT: take them out again so every row sees an outsider.
                if (c == 3) await SendAsync(owner.Client, HttpMethod.Delete, $"{inv}/members/{outsider.UserId}", null, await ETagAsync(owner.Client, id));
                string? etag = method == HttpMethod.Get ? null : await ETagAsync(owner.Client, id);
                var response = await SendAsync(callers[c].Client, method, url, body(), etag);
                Assert.True(expected[c] == (int)response.StatusCode,
                    $"{method} {url} as {callers[c].Role}: expected {expected[c]}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                if (method != HttpMethod.Get) writes.Add((new Uri(new Uri("http://x"), url).AbsolutePath, method.Method, (int)response.StatusCode));
            }

        var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/audit")).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("method").GetString()!, e.GetProperty("status").GetInt32())).ToList();
        foreach (var write in writes) Assert.Contains(write, audit);
    }

    [Fact]
    public async Task AMemberOfOneInvestigationNeitherReadsNorWritesAnother()
    {
        var a = await InvestigationAsync();
        var b = await InvestigationAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await a.Editor.Client.GetAsync($"/api/investigations/{b.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(a.Owner.Client, HttpMethod.Patch, $"/api/investigations/{b.Id}", new { title = "mine" }, await ETagAsync(b.Owner.Client, b.Id))).StatusCode);
        var listed = JsonDocument.Parse(await a.Viewer.Client.GetStringAsync("/api/investigations")).RootElement.EnumerateArray().Select(i => i.GetProperty("investigationId").GetString()).ToList();
        Assert.Equal([a.Id], listed);
    }

    [Fact]
    public async Task TwoUsersEditingOneListAtOnceLoseNoUpdateTheSecondGets412AndSucceedsAfterRereading()
    {
        var (id, owner, editor, _, _) = await InvestigationAsync();
        string etag = await ETagAsync(owner.Client, id);
        var first = SendAsync(owner.Client, HttpMethod.Post, $"/api/investigations/{id}/latents", new { saeId = "sae-x", latent = 1 }, etag);
        var second = SendAsync(editor.Client, HttpMethod.Post, $"/api/investigations/{id}/latents", new { saeId = "sae-x", latent = 2 }, etag);
        var statuses = (await Task.WhenAll(first, second)).Select(r => (int)r.StatusCode).Order().ToArray();
        Assert.Equal([200, 412], statuses);
        var retry = (await first).StatusCode == HttpStatusCode.OK ? (editor.Client, 2) : (owner.Client, 1);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(retry.Item1, HttpMethod.Post, $"/api/investigations/{id}/latents", new { saeId = "sae-x", latent = retry.Item2 }, await ETagAsync(owner.Client, id))).StatusCode);
        var items = JsonDocument.Parse(await owner.Client.GetStringAsync($"/api/investigations/{id}")).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ref").GetString()).ToList();
        Assert.Contains("sae-x/1", items);
        Assert.Contains("sae-x/2", items);

        Assert.Equal(428, (int)(await SendAsync(owner.Client, HttpMethod.Patch, $"/api/investigations/{id}", new { title = "t" }, null)).StatusCode);
        Assert.Equal(400, (int)(await SendAsync(owner.Client, HttpMethod.Patch, $"/api/investigations/{id}", new { title = "t" }, "\"nonsense\"")).StatusCode);
    }

    [Fact]
    public async Task ANoteIsRenderedFromMarkdownAndNoScriptSurvives()
    {
        var (id, owner, _, viewer, itemId) = await InvestigationAsync();
        string markdown = "**water** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>";
        var response = await SendAsync(owner.Client, HttpMethod.Post, $"/api/investigations/{id}/items/{itemId}/notes", new { markdown }, await ETagAsync(owner.Client, id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = JsonDocument.Parse(await viewer.Client.GetStringAsync($"/api/investigations/{id}")).RootElement
            .GetProperty("items")[0].GetProperty("notes")[0];
        string html = note.GetProperty("html").GetString()!;
        Assert.Contains("<strong>water</strong>", html);
        // Raw HTML in the Markdown stays visible as escaped text; no tag, attribute or URL of it survives as markup.
        foreach (var bad in new[] { "<script", "<img", "href=\"javascript" }) Assert.DoesNotContain(bad, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"<[^>]*\son\w+\s*=", html);   // no event-handler attribute inside any tag
        Assert.Equal(markdown, note.GetProperty("markdown").GetString());
    }

    [Fact]
    public async Task ANoteARetrainingCarriedSaysWhereItCameFromToMembersOnlyInTheApiAndEncodedOnThePage()
    {
        var (id, owner, _, viewer, _) = await InvestigationAsync();
        const string parent = "sae<b>&\"x\"", child = "sae<b>&\"x\"-v2";   // ids a page must encode
        var listed = await SendAsync(owner.Client, HttpMethod.Post, $"/api/investigations/{id}/latents", new { saeId = parent, latent = 7 }, await ETagAsync(owner.Client, id));
        string itemId = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[1].GetProperty("itemId").GetString()!;
        var noted = await SendAsync(owner.Client, HttpMethod.Post, $"/api/investigations/{id}/items/{itemId}/notes", new { markdown = "fires on **water**" }, await ETagAsync(owner.Client, id));
        var original = JsonDocument.Parse(await noted.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[1].GetProperty("notes")[0];

        // The retraining's carry stage, with a mapping that moves latent 7 to 3 (match 0.93).
        var grains = fixture.Factory.Services.GetRequiredService<IGrainFactory>();
        var document = new LineageDocument(child, parent, 2, "job-x", "hungarian", 0.7, 0, [new LineageEntry(3, 7, 0.93, 0.93, null)], [], []);
        Assert.Equal(1, await LatentLineage.CarryNotesAsync(grains, document, (_, _) => { }, CancellationToken.None));

        var item = JsonDocument.Parse(await viewer.Client.GetStringAsync($"/api/investigations/{id}")).RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("ref").GetString() == $"{child}/3");
        var note = Assert.Single(item.GetProperty("notes").EnumerateArray());
        foreach (var field in new[] { "authorId", "authorName", "markdown", "html", "createdAt" })
            Assert.Equal(original.GetProperty(field).GetString(), note.GetProperty(field).GetString());
        var from = note.GetProperty("carriedFrom");
        Assert.Equal((parent, 7, 0.93, original.GetProperty("noteId").GetString(), "job-x"), (from.GetProperty("saeId").GetString(), from.GetProperty("latent").GetInt32(),
            from.GetProperty("matchScore").GetDouble(), from.GetProperty("noteId").GetString(), from.GetProperty("jobId").GetString()));
        Assert.Equal(JsonValueKind.Null, original.GetProperty("carriedFrom").ValueKind);   // a member's own note is not marked
        var outsider = await NewUserAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/api/investigations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/investigations/{id}")).StatusCode);

        string page = await viewer.Client.GetStringAsync($"/investigations/{id}");
        Assert.Contains("carried from <a href=\"/saes/sae%3Cb%3E%26%22x%22/latents/7\">sae&lt;b&gt;&amp;&quot;x&quot;/7</a> (match 0.93)", page);
        Assert.DoesNotContain(parent, page);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "carried from"));
    }

    [Fact]
    public async Task AWatchedLatentReportsWhatMovedSinceItsBaseline()
    {
        var (id, owner, _, viewer, _) = await InvestigationAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(viewer.Client, HttpMethod.Post, $"/api/investigations/{id}/watches", new { saeId = "sae-x", latent = 7 }, await ETagAsync(owner.Client, id))).StatusCode);
        var changes = JsonDocument.Parse(await viewer.Client.GetStringAsync($"/api/investigations/{id}/changes")).RootElement;
        var change = Assert.Single(changes.EnumerateArray());
        Assert.Equal(("sae-x", 7, 0), (change.GetProperty("saeId").GetString(), change.GetProperty("latent").GetInt32(), change.GetProperty("changed").GetArrayLength()));
    }
}
