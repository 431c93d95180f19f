using System.Net;
using System.Text.Json;
using Actors.Api.Tests.Fixtures;
using F = Actors.Api.Tests.Fixtures.SteeringApiFixture;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// The steering routes on the test world (tiny CLIP, random top-k SAE on every token after block 0): the synchronous
/// query, the four jobs through to their stored results, and a 4xx naming the field for each kind of bad request.
/// </summary>
public sealed class SteeringApiTests(SteeringApiFixture fixture) : IClassFixture<SteeringApiFixture>
{
    static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);
    HttpClient Client => fixture.Client;

    object[] TwoImages => [new { corpusId = F.CorpusId, imageId = fixture.World.GoodImages[0] }, new { corpusId = F.SpuriousCorpus, imageId = fixture.World.GoodImages[3] }];

    async Task<JsonElement> SteerAsync(object interventions)
    {
        var response = await Client.PostAsync($"/api/saes/{F.SaeId}/steering", new { images = TwoImages, interventions, vocabularyId = F.VocabularyId, top = 3 });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task SteeringWithScaleOneAndAddZeroReturnsTheSameDistributionBeforeAndAfter()
    {
        var answer = await SteerAsync(new object[] { new { latent = 0, op = "scale", value = 1 }, new { latent = 7, op = "ADD", value = 0 } });
        var images = answer.GetProperty("images").EnumerateArray().ToArray();
        Assert.Equal(2, images.Length);
        Assert.Equal("blue", images[0].GetProperty("label").GetString());
        foreach (var image in images)
        {
            Assert.Equal(3, image.GetProperty("before").GetArrayLength());
            Assert.Equal(image.GetProperty("before").GetRawText(), image.GetProperty("after").GetRawText());
            Assert.Equal(0, image.GetProperty("totalVariation").GetDouble());
        }
    }

    [Fact]
    public async Task SettingALatentHighOnEveryTokenMovesTheDistribution()
    {
        var answer = await SteerAsync(new object[] { new { latent = 5, op = "set", value = 60 } });
        foreach (var image in answer.GetProperty("images").EnumerateArray())
        {
            Assert.True(image.GetProperty("totalVariation").GetDouble() > 1e-4, image.GetRawText());
            Assert.Equal(1.0, image.GetProperty("after").EnumerateArray().Sum(c => c.GetProperty("probability").GetDouble()), 0.35);   // top 3 of 3 concepts
        }
    }

    public static TheoryData<string, string, string> BadSteeringRequests => new()
    {
        { "too many images", """{"images": [#17], "interventions": [], "vocabularyId": "colours"}""", "images" },
        { "an unknown corpus", """{"images": [{"corpusId": "nope", "imageId": "x"}], "vocabularyId": "colours"}""", "images[0].corpusId" },
        { "an image not in its corpus", """{"images": [{"corpusId": "colours", "imageId": "blue/999.png"}], "vocabularyId": "colours"}""", "images[0].imageId" },
        { "a bad op", """{"images": [#1], "interventions": [{"latent": 1, "op": "multiply", "value": 2}], "vocabularyId": "colours"}""", "interventions[0].op" },
        { "a latent out of range", """{"images": [#1], "interventions": [{"latent": 1, "op": "set", "value": 1}, {"latent": 96, "op": "set", "value": 1}], "vocabularyId": "colours"}""", "interventions[1].latent" },
        { "a missing value", """{"images": [#1], "interventions": [{"latent": 1, "op": "set"}], "vocabularyId": "colours"}""", "interventions[0].value" },
        { "an unknown vocabulary", """{"images": [#1], "vocabularyId": "nope"}""", "vocabularyId" },
        { "top of zero", """{"images": [#1], "vocabularyId": "colours", "top": 0}""", "top" },
    };

    [Theory]
    [MemberData(nameof(BadSteeringRequests))]
    public async Task ABadSteeringRequestIsA400NamingTheField(string what, string json, string field)
    {
        string image = JsonSerializer.Serialize(new { corpusId = F.CorpusId, imageId = fixture.World.GoodImages[0] });
        json = json.Replace("#17", string.Join(',', Enumerable.Repeat(image, 17))).Replace("#1", image);
        var response = await Client.PostAsync($"/api/saes/{F.SaeId}/steering", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await AssertInvalidAsync(response, field, what);
    }

    [Fact]
    public async Task SteeringAnUnknownSaeIsA404()
    {
        var response = await Client.PostAsync("/api/saes/nope/steering", new { images = TwoImages, vocabularyId = F.VocabularyId });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ASteeringSweepJobLandsOnTheLatentsView()
    {
        var response = await Client.PostAsync($"/api/saes/{F.SaeId}/steering-sweeps",
            new { latent = 4, corpusId = F.CorpusId, vocabularyId = F.VocabularyId, strengths = new[] { 0.0, 5.0, 50.0 }, maxImages = 4 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await fixture.WaitForJobAsync(response.Headers.Location!.ToString(), JobTimeout);
        var latent = JsonDocument.Parse(await Client.GetStringAsync($"/api/saes/{F.SaeId}/latents/4")).RootElement;
        var sweep = latent.GetProperty("steeringSweep");
        Assert.Equal(job.GetProperty("jobId").GetString(), sweep.GetProperty("jobId").GetString());
        Assert.Equal(4, sweep.GetProperty("images").GetInt32());
        var points = sweep.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([0.0, 5.0, 50.0], points.Select(p => p.GetProperty("strength").GetDouble()));
        foreach (var p in points)
        {
            Assert.InRange(p.GetProperty("steerability").GetDouble(), 0, 2);     // Σ_v of squared probability changes
            Assert.Equal(1.0, p.GetProperty("topSteered").EnumerateArray().Sum(c => c.GetProperty("probability").GetDouble()), 1e-5);   // P(v|f) over all 3 concepts
            Assert.Equal(3, p.GetProperty("topShifts").GetArrayLength());
        }
        Assert.True(points[2].GetProperty("steerability").GetDouble() > points[0].GetProperty("steerability").GetDouble());
    }

    [Fact]
    public async Task ASteerabilityJobStoresTheLayerReportOnTheSaeWithAHistogramPlot()
    {
        var response = await Client.PostAsync($"/api/saes/{F.SaeId}/steerability",
            new { corpusId = F.CorpusId, vocabularyId = F.VocabularyId, strength = 40.0, sample = 10, gamma = 0.001, beta = 0.01, seed = 3, maxImages = 3 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string location = response.Headers.Location!.ToString();
        var job = await fixture.WaitForJobAsync(location, JobTimeout);
        var result = JsonDocument.Parse(job.GetProperty("result").GetString()!).RootElement;
        var latents = result.GetProperty("latents").EnumerateArray().Select(l => l.GetProperty("steerability").GetDouble()).ToArray();
        Assert.Equal(10, latents.Length);
        var report = JsonDocument.Parse(await Client.GetStringAsync($"/api/saes/{F.SaeId}/steerability")).RootElement;
        Assert.Equal(latents.Average(), report.GetProperty("meanSteerability").GetDouble(), 1e-12);                        // Eq. 6
        Assert.Equal(latents.Count(s => s > 0.001) / 10.0, report.GetProperty("steerableFraction").GetDouble(), 1e-12);   // Eq. 7
        Assert.Equal(latents.Count(s => s > 0.01), report.GetProperty("conceptCoverage").GetInt32());                    // Eq. 8
        Assert.Equal(10, report.GetProperty("histogramCounts").EnumerateArray().Sum(c => c.GetInt64()));
        Assert.Equal(96, report.GetProperty("latentsTotal").GetInt32());
        var plot = await Client.GetAsync($"{location}/plot");
        Assert.Equal("image/png", plot.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0x89, (await plot.Content.ReadAsByteArrayAsync())[0]);
        var sae = JsonDocument.Parse(await Client.GetStringAsync($"/api/saes/{F.SaeId}")).RootElement;
        Assert.Equal(report.GetProperty("jobId").GetString(), sae.GetProperty("steerability").GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task ASuppressionJobReportsAccuracyPerGroupAndWorstGroupBeforeAndAfter()
    {
        var response = await Client.PostAsync($"/api/saes/{F.SaeId}/suppressions", new
        {
            attributeCorpusId = F.WaterCorpus, contrastCorpusId = F.LandCorpus, tau = 0.0, lambda = 0.3,
            evalCorpusId = F.SpuriousCorpus, vocabularyId = F.VocabularyId, groupBy = new[] { "label", "background" },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = JsonDocument.Parse((await fixture.WaitForJobAsync(response.Headers.Location!.ToString(), JobTimeout)).GetProperty("result").GetString()!).RootElement;
        var groups = result.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(["blue/land", "blue/water", "green/land", "green/water", "red/land", "red/water"], groups.Select(g => g.GetProperty("group").GetString()));
        Assert.Equal(6, result.GetProperty("evalImages").GetInt32());
        Assert.True(result.GetProperty("suppressed").GetInt32() >= result.GetProperty("selectedByEquation9").GetInt32());
        foreach (var when in new[] { "before", "after" })
            Assert.Equal(groups.Min(g => g.GetProperty(when).GetDouble()), result.GetProperty("worstGroupAccuracy").GetProperty(when).GetDouble());
    }

    [Fact]
    public async Task ATypographicDefenceJobReportsFlipRateAndAccuraciesBeforeAndAfter()
    {
        var response = await Client.PostAsync($"/api/saes/{F.SaeId}/typographic-defences",
            new { wordsCorpusId = F.WordsCorpus, cleanCorpusId = F.CleanCorpus, tau = 0.0, vocabularyId = F.VocabularyId });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = JsonDocument.Parse((await fixture.WaitForJobAsync(response.Headers.Location!.ToString(), JobTimeout)).GetProperty("result").GetString()!).RootElement;
        Assert.Equal(6, result.GetProperty("pairs").GetInt32());
        foreach (var figure in new[] { "cleanAccuracy", "wordsAccuracy", "flipRate" })
            foreach (var when in new[] { "before", "after" })
                Assert.InRange(result.GetProperty(figure).GetProperty(when).GetDouble(), 0, 1);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("writtenClassRate").ValueKind);   // these manifests name no written class
    }

    public static TheoryData<string, string, object, string> BadJobRequests => new()
    {
        { "a latent out of range", "steering-sweeps", new { latent = 96, corpusId = F.CorpusId, vocabularyId = F.VocabularyId, strengths = new[] { 1.0 } }, "latent" },
        { "no strengths", "steering-sweeps", new { latent = 1, corpusId = F.CorpusId, vocabularyId = F.VocabularyId, strengths = Array.Empty<double>() }, "strengths" },
        { "an unknown corpus", "steering-sweeps", new { latent = 1, corpusId = "nope", vocabularyId = F.VocabularyId, strengths = new[] { 1.0 } }, "corpusId" },
        { "no strength", "steerability", new { corpusId = F.CorpusId, vocabularyId = F.VocabularyId }, "strength" },
        { "a sample of zero", "steerability", new { corpusId = F.CorpusId, vocabularyId = F.VocabularyId, strength = 1.0, sample = 0 }, "sample" },
        { "an unknown vocabulary", "steerability", new { corpusId = F.CorpusId, vocabularyId = "nope", strength = 1.0 }, "vocabularyId" },
        { "no groups", "suppressions", new { attributeCorpusId = F.WaterCorpus, contrastCorpusId = F.LandCorpus, tau = 0.1, evalCorpusId = F.SpuriousCorpus, vocabularyId = F.VocabularyId, groupBy = Array.Empty<string>() }, "groupBy" },
        { "a cosine above one", "suppressions", new { attributeCorpusId = F.WaterCorpus, contrastCorpusId = F.LandCorpus, tau = 0.1, lambda = 1.5, evalCorpusId = F.SpuriousCorpus, vocabularyId = F.VocabularyId, groupBy = new[] { "label" } }, "lambda" },
        { "an unknown contrast corpus", "suppressions", new { attributeCorpusId = F.WaterCorpus, contrastCorpusId = "nope", tau = 0.1, evalCorpusId = F.SpuriousCorpus, vocabularyId = F.VocabularyId, groupBy = new[] { "label" } }, "contrastCorpusId" },
        { "no tau", "typographic-defences", new { wordsCorpusId = F.WordsCorpus, cleanCorpusId = F.CleanCorpus, vocabularyId = F.VocabularyId }, "tau" },
        { "one evaluation corpus of two", "typographic-defences", new { wordsCorpusId = F.WordsCorpus, cleanCorpusId = F.CleanCorpus, tau = 0.1, vocabularyId = F.VocabularyId, evalWordsCorpusId = F.WordsCorpus }, "evalCleanCorpusId" },
    };

    [Theory]
    [MemberData(nameof(BadJobRequests))]
    public async Task ABadJobRequestIsA400NamingTheField(string what, string route, object body, string field) =>
        await AssertInvalidAsync(await Client.PostAsync($"/api/saes/{F.SaeId}/{route}", body), field, what);

    [Fact]
    public async Task AJobOnAnUnknownSaeIsA404()
    {
        var response = await Client.PostAsync("/api/saes/nope/steerability", new { corpusId = F.CorpusId, vocabularyId = F.VocabularyId, strength = 1.0 });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    static async Task AssertInvalidAsync(HttpResponseMessage response, string field, string what)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {body}");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{what}: the problem does not name '{field}': {body}");
    }
}
