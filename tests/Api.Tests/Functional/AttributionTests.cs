using System.Net;
using System.Text.Json;
using Actors.Analysis.Gradients;
using Actors.Api.Contracts;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// POST /api/saes/{saeId}/attributions over the ingested test world (SAE after block 0, every token): what it answers
/// for an ingested and for an uploaded image, against an independent Act×Grad (seed 000 Eq. 5, App. B.1), and its 4xx.
/// </summary>
public sealed class AttributionTests(SqliteIngestedApiFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteIngestedApiFixture>
{
    const string Sae = IngestedApiFixture.SaeId, Url = $"/api/saes/{Sae}/attributions";
    HttpClient Client => fixture.Client;
    string ImageId => fixture.World.GoodImages[0];
    byte[] ImageBytes(string id) => File.ReadAllBytes(Path.Combine(fixture.World.CorpusFolder, id));

    [Fact]
    public async Task ActTimesGradientOfAnIngestedImageEqualsAnIndependentComputationOnTheSamePixels()
    {
        string concept = $"{IngestedApiFixture.VocabularyId}/blue";
        var result = await (await Client.PostAsync(Url, new
        {
            image = new { corpusId = IngestedApiFixture.CorpusId, imageId = ImageId }, concept, methods = new[] { "act-grad" }, top = TestWorld.DSae,
        })).ReadAsync<AttributionResponse>();
        var text = (await Client.GetAsync<ConceptView>($"/api/vocabularies/{IngestedApiFixture.VocabularyId}/concepts/blue")).Embedding;
        var attribution = new IndependentAttribution(fixture.World);
        var truth = attribution.ActTimesGradient(attribution.Pixels(ImageBytes(ImageId)), text);

        var method = Assert.Single(result.Methods);
        Assert.Equal(AttributionMethods.ActTimesGradient, method.Method);
        Assert.Equal(truth.Y, result.Score, 1e-6);
        Assert.Equal(truth.Relevance.Count, method.ActiveLatents);
        Assert.Equal(truth.Relevance.Keys.Order(), method.Latents.Select(l => l.Latent).Order());
        Assert.Equal(method.Latents.Select(l => l.Relevance).OrderDescending(), method.Latents.Select(l => l.Relevance));
        double scale = truth.Relevance.Values.Max(Math.Abs), worst = method.Latents.Max(l => Math.Abs(l.Relevance - truth.Relevance[l.Latent]));
        output.WriteLine($"{method.ActiveLatents} latents: max |R_j − independent| {worst:G3} of max |R_j| {scale:G3}; y {result.Score:G6}");
        Assert.True(worst <= 1e-4 * scale, $"R_j differ by {worst} (max |R_j| {scale})");
        Assert.Equal(truth.Bias, method.Bias!.Value, 1e-5);
        Assert.Equal(truth.Error, method.Error!.Value, 1e-5);

        // After an earlier block y is not scale-invariant in h: the components add up to h·∇y (first order, exact), not 0.
        double total = method.Latents.Sum(l => l.Relevance) + method.Bias.Value + method.Error.Value;
        double magnitude = method.Latents.Sum(l => Math.Abs(l.Relevance)) + Math.Abs(method.Bias.Value) + Math.Abs(method.Error.Value);
        output.WriteLine($"Σ components {total:G6}, h·∇y {truth.HDotGradient:G6}, Σ|components| {magnitude:G4}");
        Assert.True(Math.Abs(total - truth.HDotGradient) <= 1e-5 * magnitude, $"Σ components {total} vs h·∇y {truth.HDotGradient}");
        Assert.Equal(method.LatentRelevanceSum, method.Latents.Sum(l => l.Relevance), 1e-12);
    }

    [Fact]
    public async Task EachListedLatentLinksItsReferencesAndCarriesItsActivationsOnThisImagesPatches()
    {
        var result = await (await Client.PostAsync(Url, new
        {
            image = new { corpusId = IngestedApiFixture.CorpusId, imageId = ImageId }, prompt = "a photo of a blue square.", top = 5,
        })).ReadAsync<AttributionResponse>();
        var attribution = new IndependentAttribution(fixture.World);
        var truth = attribution.ActTimesGradient(attribution.Pixels(ImageBytes(ImageId)), attribution.Text("a photo of a blue square."));
        Assert.Equal(4, result.HeatmapWidth);   // 16 patch tokens of the tiny model after the class token
        Assert.Null(result.HeatmapNote);

        foreach (var latent in result.Methods.SelectMany(m => m.Latents))
        {
            Assert.Equal($"/api/saes/{Sae}/latents/{latent.Latent}", latent.Link);
            var view = await Client.GetAsync<LatentView>(latent.Link);
            Assert.Equal(view.References.Length > 0 ? $"{latent.Link}/references/0/image.png?overlay=true" : null, latent.TopReference);
            Assert.Equal(view.SemanticLabels?.Assigned?.Text, latent.SemanticLabel);
            var patches = truth.TokenActivations[latent.Latent][1..];   // token 0 is the class token
            Assert.Equal(patches, latent.Heatmap!);
        }
        var withReference = result.Methods.SelectMany(m => m.Latents).First(l => l.TopReference is not null);
        var png = await Client.GetAsync(withReference.TopReference);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUploadedPngIsAttributedWithEveryMethodTheHookSupportsAndTheTextPromptAsWritten()
    {
        string id = fixture.World.GoodImages[9], prompt = "a green circle";
        var result = await (await Client.PostAsync(Url, new { image = new { base64 = Convert.ToBase64String(ImageBytes(id)) }, prompt }))
            .ReadAsync<AttributionResponse>();
        var ingested = await (await Client.PostAsync(Url, new { image = new { corpusId = IngestedApiFixture.CorpusId, imageId = id }, prompt }))
            .ReadAsync<AttributionResponse>();

        Assert.Equal(ImageBytes(id).Length, result.Image.UploadedBytes);
        var attribution = new IndependentAttribution(fixture.World);
        var pixels = attribution.Pixels(ImageBytes(id));
        Assert.Equal(ImageTextScore.Cosine(attribution.Model.Vision.Encode(pixels, 1), attribution.Text(prompt)), result.Score, 1e-6);
        // The hook (block 0 of 2, every token) is not where Eq. 31 holds: skipped, with the reason.
        Assert.Equal(AttributionMethods.All.Where(m => m != AttributionMethods.ActTimesGradientClosedForm), result.Methods.Select(m => m.Method));
        Assert.Equal(AttributionMethods.ActTimesGradientClosedForm, Assert.Single(result.Skipped).Method);
        Assert.Contains("Eq. 31", result.Skipped[0].Reason);
        Assert.All(result.Methods, m => Assert.True(m.Latents.Length == Math.Min(20, m.ActiveLatents)));
        Assert.NotNull(result.Methods.Single(m => m.Method == AttributionMethods.IntegratedGradients).Baseline);
        Assert.All(result.Methods.Where(m => m.Method != AttributionMethods.ActTimesGradient), m => Assert.Null(m.Bias));
        // The upload and the ingested file are the same image: the same answer.
        Assert.Equal(JsonSerializer.Serialize(ingested.Methods), JsonSerializer.Serialize(result.Methods));
    }

    public static TheoryData<string, HttpStatusCode, string?, string?> BadRequests() => new()
    {
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"prompt\":\"a\",\"saeId\":1}", HttpStatusCode.NotFound, null, "no-such-sae" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"concept\":\"shape-classes/purple\"}", HttpStatusCode.NotFound, null, "shape-classes/purple" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"concept\":\"purple\"}", HttpStatusCode.BadRequest, "concept", "purple" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"prompt\":\"a\",\"methods\":[\"gradcam\"]}", HttpStatusCode.BadRequest, "methods", "gradcam" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"prompt\":\"a\",\"methods\":[\"act-grad-eq31\"]}", HttpStatusCode.BadRequest, "methods", "Eq. 31" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"}}", HttpStatusCode.BadRequest, "prompt", null },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"prompt\":\"a\",\"concept\":\"shape-classes/blue\"}", HttpStatusCode.BadRequest, "prompt", null },
        { "{\"prompt\":\"a\"}", HttpStatusCode.BadRequest, "image", null },
        { "{\"image\":{\"base64\":\"not base64!\"},\"prompt\":\"a\"}", HttpStatusCode.BadRequest, "image.base64", null },
        { "{\"image\":{\"base64\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\"},\"prompt\":\"a\"}", HttpStatusCode.BadRequest, "image", "Cannot decode image 'the uploaded image'" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"" + TestWorld.CorruptFile + "\"},\"prompt\":\"a\"}", HttpStatusCode.BadRequest, "image", TestWorld.CorruptFile },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/999.png\"},\"prompt\":\"a\"}", HttpStatusCode.NotFound, null, "blue/999.png" },
        { "{\"image\":{\"corpusId\":\"no-such-corpus\",\"imageId\":\"blue/000.png\"},\"prompt\":\"a\"}", HttpStatusCode.NotFound, null, "no-such-corpus" },
        { "{\"image\":{\"corpusId\":\"shapes\",\"imageId\":\"blue/000.png\"},\"prompt\":\"a\",\"top\":0}", HttpStatusCode.BadRequest, "top", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task EachBadRequestIsA4xxProblemNamingTheFieldOrTheMissingThing(string json, HttpStatusCode status, string? field, string? mentions)
    {
        string url = mentions == "no-such-sae" ? "/api/saes/no-such-sae/attributions" : Url;
        var response = await Client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(status, field, mentions);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheRouteWithItsBodyAndItsProblems()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var post = document.GetProperty("paths").GetProperty("/api/saes/{saeId}/attributions").GetProperty("post");
        Assert.True(post.TryGetProperty("requestBody", out _));
        var responses = post.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "200", "400", "404", "413" }, responses);
    }
}
