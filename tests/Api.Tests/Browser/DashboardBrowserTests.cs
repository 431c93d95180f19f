using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Sketches;
using Actors.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Actors.Api.Tests.Browser;

/// <summary>
/// The web dashboard in a real browser (Debian's chromium, headless, through Playwright) against the embedded default
/// as its own process with the world ingested: signing in, the latent page's images, text search, live ingestion
/// progress, and investigations shared between users with their roles. Screenshots of the main pages are kept in
/// TestResults/screenshots of the test output folder.
/// </summary>
[Collection(WorldApiCollection.Name)]
public sealed class DashboardBrowserTests(WorldApiFixture world, SystemChromium chromium, ITestOutputHelper output) : IClassFixture<SystemChromium>
{
    const string Sae = WorldApiFixture.SaeId;

    [Fact]
    public async Task ABrowserWithoutASessionIsSentToSignInAndComesBackSignedInWithASecureHttpOnlyStrictCookie()
    {
        var page = await chromium.NewPageAsync(world.BaseAddress);
        await page.GotoAsync($"/saes/{Sae}/latents");
        Assert.Contains("/sign-in", page.Url);
        await page.GetByLabel("API key").FillAsync(TestKeys.Admin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await DashboardSession.ArrivedAtAsync(page, new Regex($"/saes/{Sae}/latents$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Latents of SAE {Sae}" })).ToBeVisibleAsync();

        // Chromium keeps a Secure cookie set over http://127.0.0.1 (a secure context).
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "actors.session");
        Assert.True(session.Secure && session.HttpOnly && session.SameSite == SameSiteAttribute.Strict,
            $"session cookie: secure {session.Secure}, httpOnly {session.HttpOnly}, sameSite {session.SameSite}");
        output.WriteLine(await DashboardSession.ScreenshotAsync(page, "explorer"));
    }

    [Fact]
    public async Task EveryReferenceImageOnALatentPageLoadsLargeEnoughToSeeWithAltTextNamingLatentAndRank()
    {
        int latent = await MostFrequentLatentAsync();
        var references = await world.Client.GetFromJsonAsync<ReferenceImage[]>($"/api/saes/{Sae}/latents/{latent}/references", ApiJson.Options);
        var page = await SignedInAsync(TestKeys.Admin);
        await page.GotoAsync($"/saes/{Sae}/latents/{latent}", new() { WaitUntil = WaitUntilState.Load });   // load: every image has settled

        var images = await page.EvaluateAsync<JsonElement>(
            "() => [...document.querySelectorAll('ol.references img')].map(i => ({ alt: i.alt, complete: i.complete, width: i.naturalWidth, shown: i.getBoundingClientRect().width }))");
        Assert.Equal(references!.Length, images.GetArrayLength());
        Assert.True(references.Length >= 8, $"latent {latent} has only {references.Length} reference images");
        for (int rank = 0; rank < references.Length; rank++)
        {
            var image = images[rank];
            Assert.Equal($"latent {latent}, reference {rank}", image.GetProperty("alt").GetString());
            Assert.True(image.GetProperty("complete").GetBoolean() && image.GetProperty("width").GetInt32() > 0, $"reference {rank} did not load: {image}");
            Assert.True(image.GetProperty("shown").GetDouble() >= 120, $"reference {rank} is shown {image.GetProperty("shown")} px wide");
        }
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"Activation histogram of latent {latent}" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Classes" })).ToBeVisibleAsync();
        output.WriteLine(await DashboardSession.ScreenshotAsync(page, "latent-page"));

        await page.SetViewportSizeAsync(390, 844);   // a phone: the page reflows instead of scrolling sideways
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the latent page is wider than a 390 px screen");
        output.WriteLine(await DashboardSession.ScreenshotAsync(page, "latent-page-phone"));
    }

    [Fact]
    public async Task SearchingWaterInTheExplorerListsFirstALatentWhoseReferenceImagesMostlyShowWater()
    {
        var page = await SignedInAsync(TestKeys.Admin);
        await page.GotoAsync($"/saes/{Sae}/latents");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Text" }).FillAsync("water");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await DashboardSession.ArrivedAtAsync(page, new Regex("q=water"));
        var first = page.Locator("a[data-latent]").First;
        int latent = int.Parse((await first.GetAttributeAsync("data-latent"))!);

        var references = (await world.Client.GetFromJsonAsync<ReferenceImage[]>($"/api/saes/{Sae}/latents/{latent}/references", ApiJson.Options))!;
        double water = references.Count(r => world.Scene(r.Image.CorpusId, r.Image.ImageId).Background == "water") / (double)references.Length;
        output.WriteLine($"first hit latent {latent}: {water:P0} of its {references.Length} reference images are on water");
        Assert.True(water > 0.5, $"latent {latent}, the first hit for 'water', has {water:P0} water scenes among its references");
        output.WriteLine(await DashboardSession.ScreenshotAsync(page, "explorer-search"));

        await first.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Latent {latent}", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ANoteOneMemberAddsIsSeenByAnotherAndAViewerCanNeitherSeeTheFormNorPostANote()
    {
        int latent = await MostFrequentLatentAsync();
        var editor = await NewUserAsync("editor");
        var viewer = await NewUserAsync("viewer");

        // The owner starts an investigation, lists the latent and adds an editor and a viewer.
        var owner = await SignedInAsync(TestKeys.Admin);
        await owner.GotoAsync("/investigations");
        await owner.GetByLabel("Title").FillAsync("Water latents");
        await owner.GetByLabel("Description").FillAsync("Which latents see water?");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Start investigation" }).ClickAsync();
        await DashboardSession.ArrivedAtAsync(owner, new Regex("/investigations/inv-"));
        string investigation = new Uri(owner.Url).AbsolutePath;
        await owner.GetByLabel("Latent", new() { Exact = true }).FillAsync(latent.ToString());
        await owner.GetByRole(AriaRole.Button, new() { Name = "List latent" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = $"latent {latent} of {Sae}" })).ToBeVisibleAsync();
        foreach (var (user, role) in new[] { (editor, "editor"), (viewer, "viewer") })
        {
            await owner.GetByLabel("User id").FillAsync(user.UserId);
            await owner.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync(role);
            await owner.GetByRole(AriaRole.Button, new() { Name = "Set role" }).ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Cell, new() { Name = user.UserId })).ToBeVisibleAsync();
        }

        // The editor adds a note on the latent page.
        var writer = await SignedInAsync(editor.Key);
        await writer.GotoAsync($"/saes/{Sae}/latents/{latent}");
        await writer.GetByLabel("Add a note (Markdown)").FillAsync("**Water** in every reference image, says the editor.");
        await writer.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(writer.Locator("article.note")).ToContainTextAsync("Water in every reference image");

        // The owner sees it, Markdown rendered.
        await owner.ReloadAsync();
        await Expect(owner.Locator("article.note strong")).ToHaveTextAsync("Water");
        await Expect(owner.Locator("article.note .by")).ToContainTextAsync(editor.Name);
        output.WriteLine(await DashboardSession.ScreenshotAsync(owner, "investigation"));

        // The viewer reads it, gets no form, and the API refuses a note they post anyway (with a valid token and ETag).
        var reader = await SignedInAsync(viewer.Key);
        await reader.GotoAsync(investigation);
        await Expect(reader.Locator("article.note")).ToContainTextAsync("Water in every reference image");
        Assert.Equal(0, await reader.GetByLabel("Add a note (Markdown)").CountAsync());
        string itemId = (await reader.Locator("article.item").First.GetAttributeAsync("id"))!["item-".Length..];
        int status = await reader.EvaluateAsync<int>("""
            async ([investigation, item]) => {
              const api = '/api' + investigation;
              const etag = (await fetch(api, { credentials: 'same-origin' })).headers.get('ETag');
              const token = document.querySelector("meta[name='request-verification-token']").content;
              const response = await fetch(api + '/items/' + item + '/notes', { method: 'POST', credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token, 'If-Match': etag },
                body: JSON.stringify({ markdown: 'a viewer was here' }) });
              return response.status;
            }
            """, new[] { investigation, itemId });
        Assert.Equal(403, status);
        output.WriteLine(await DashboardSession.ScreenshotAsync(reader, "investigation-viewer"));
    }

    [Fact]
    public async Task TheCorpusPageProgressBarMovesToCompletionWhileACorpusIsIngestedWithoutReloading()
    {
        const string corpus = "world-more";
        await world.RegisterWorldCorpusAsync(corpus, count: 400, seed: 77);
        var page = await SignedInAsync(TestKeys.Admin);
        await page.GotoAsync($"/corpora/{corpus}");
        await Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("registered");
        await page.EvaluateAsync("() => { window.stayedOnPage = true; }");   // gone if the page were reloaded

        var started = await world.Client.PostAsJsonAsync($"/api/corpora/{corpus}/ingestion", new { saeId = Sae });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        string status;
        do
        {
            await Task.Delay(200);
            status = (await page.Locator("[data-field=status]").TextContentAsync())!;
            string position = await page.EvaluateAsync<string>("() => { const p = document.querySelector('progress'); return p.value + '/' + p.max; }");
            if (seen.Count == 0 || seen[^1] != $"{status} {position}") seen.Add($"{status} {position}");
        } while (status != "completed" && DateTime.UtcNow < deadline);

        output.WriteLine("the progress bar showed: " + string.Join(" → ", seen));
        Assert.Equal("completed", status);
        Assert.True(await page.EvaluateAsync<bool>("() => window.stayedOnPage === true"), "the page was reloaded");
        Assert.True(await page.EvaluateAsync<bool>("() => { const p = document.querySelector('progress'); return p.value === p.max; }"));
        Assert.True(seen.Count >= 2, $"the progress bar never changed: {string.Join(", ", seen)}");
        await Expect(page.Locator("[data-field=imagesDone]")).ToHaveTextAsync("400");
        output.WriteLine(await DashboardSession.ScreenshotAsync(page, "corpus"));
    }

    [Fact]
    public async Task TheOverviewJobsAndInvestigationsPagesRenderWithoutScriptOrContentPolicyErrors()
    {
        var page = await SignedInAsync(TestKeys.Admin);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        foreach (var (path, name) in new[] { ("/", "overview"), ("/jobs", "jobs"), ("/investigations", "investigations"), ($"/corpora/{WorldApiFixture.CorpusId}", "corpus-demo") })
        {
            var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
            Assert.Equal(200, response!.Status);
            output.WriteLine(await DashboardSession.ScreenshotAsync(page, name));
        }
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Registered SAEs" }).GetByRole(AriaRole.Link, new() { Name = Sae, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Registered corpora" }).GetByRole(AriaRole.Link, new() { Name = WorldApiFixture.CorpusId, Exact = true }))
            .ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1500);   // a poll of the corpus page would have run
        Assert.True(errors.Count == 0, "browser errors: " + string.Join("\n", errors));
    }

    async Task<IPage> SignedInAsync(string apiKey)
    {
        var page = await chromium.NewPageAsync(world.BaseAddress);
        await DashboardSession.SignInAsync(page, apiKey);
        return page;
    }

    async Task<int> MostFrequentLatentAsync()
    {
        var listing = await world.Client.GetFromJsonAsync<JsonElement>($"/api/saes/{Sae}/latents?sort=frequency&pageSize=1");
        return listing.GetProperty("items")[0].GetProperty("latent").GetInt32();
    }

    async Task<(string UserId, string Name, string Key)> NewUserAsync(string role)
    {
        string name = $"{role}-{Guid.NewGuid().ToString("N")[..6]}";
        var created = await world.Client.PostAsJsonAsync("/api/users", new { name, admin = false });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.IsSuccessStatusCode, body.ToString());
        return (body.GetProperty("user").GetProperty("userId").GetString()!, name, body.GetProperty("apiKey").GetString()!);
    }
}
