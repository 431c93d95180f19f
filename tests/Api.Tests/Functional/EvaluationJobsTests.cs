using System.Net;
using System.Text.Json;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Evaluations;
using Actors.Grains.Latents;
using Actors.Vision.Imaging;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// The evaluation routes end to end on the test world's tiny CLIP and random SAE: each kind answers 202 with its job,
/// the job runs on the embedded host and succeeds, its result is JSON of the kind's shape and its plot a PNG; failure
/// detections are queryable per class and shown on each flagged latent; bad requests are problems naming the field.
/// </summary>
public sealed class EvaluationJobsTests(EvaluationApiFixture fixture) : IClassFixture<EvaluationApiFixture>
{
    const string Sae = EvaluationApiFixture.SaeId, Corpus = EvaluationApiFixture.CorpusId, Vocabulary = EvaluationApiFixture.VocabularyId;
    HttpClient Client => fixture.Client;

    async Task<RgbImage> PlotAsync(string jobId)
    {
        var response = await Client.GetAsync($"/api/jobs/{jobId}/plot");
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        return ImageCodec.Decode(await response.Content.ReadAsByteArrayAsync(), "plot.png");
    }

    static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    [Fact]
    public async Task FaithfulnessGivesElevenPointCurvesAndNineSubsetAucsForEachOfTheSixMethods()
    {
        var (job, result) = await fixture.RunAsync("faithfulness", new { corpusId = Corpus, vocabularyId = Vocabulary, maxImages = 18, seed = 4, randomReferences = 10 });
        Assert.Equal((18, 3), (result.GetProperty("samples").GetInt32(), result.GetProperty("classes").GetInt32()));
        var methods = result.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["actxgrad", "actxlogitlens", "logitlens", "energy", "ig", "random"], methods.Select(m => m.GetProperty("method").GetString()));
        foreach (var m in methods)
            foreach (var setting in new[] { "localDeletion", "globalDeletion", "localInsertion", "randomDeletion" })
            {
                Assert.Equal(11, m.GetProperty(setting).GetProperty("mean").GetArrayLength());
                Assert.Equal(9, m.GetProperty(setting).GetProperty("subsetAucs").GetArrayLength());
            }
        // App. B.2 "Deletion (random)": 10 distinct images drawn from the corpus, any class.
        var references = result.GetProperty("randomReferenceImages").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(10, references.Distinct().Count());
        Assert.True(job.Progress.Total > 0 && job.Progress.Stage is not null, "the job reported its progress");
        Assert.Equal(4 * 380, (await PlotAsync(job.JobId)).Width);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheFaithfulnessRequestsRandomReferences()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty("FaithfulnessRequest").GetProperty("properties");
        Assert.True(properties.TryGetProperty("randomReferences", out var randomReferences), $"FaithfulnessRequest: {properties}");
        Assert.Contains("integer", randomReferences.ToString());
    }

    [Fact]
    public async Task AFailureDetectionIsQueryablePerClassAndShownOnEachFlaggedLatent()
    {
        // Thresholds lowered so that a random SAE flags something: every non-red image is a candidate, any z > 0 counts.
        var (job, result) = await fixture.RunAsync("failure-detection", new
        {
            corpusId = Corpus, vocabularyId = Vocabulary, classLabel = "red", scoreMargin = 100, zThreshold = 0, minSamples = 1,
        });
        var flagged = result.GetProperty("flagged").EnumerateArray().Select(f => f.GetProperty("latent").GetInt32()).ToArray();
        Assert.NotEmpty(flagged);
        Assert.Equal((8, 16), (result.GetProperty("referenceSamples").GetInt32(), result.GetProperty("candidates").GetInt32()));
        var stored = await Client.GetAsync<ClassFailureModes>($"/api/saes/{Sae}/failure-modes?class=red");
        Assert.Equal(flagged, stored.Flagged.Select(f => f.Latent));
        Assert.Equal(job.JobId, stored.JobId);
        var latent = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{flagged[0]}");
        var mode = Assert.Single(latent.FailureModes!);
        Assert.Equal(("red", Corpus, job.JobId, stored.Flagged[0].Samples.Length), (mode.ClassLabel, mode.CorpusId, mode.JobId, mode.Samples));
        await PlotAsync(job.JobId);
    }

    [Fact]
    public async Task ProbingGivesSpuriousAndValidAucsOfThePromptTheTemplatedPromptAndTheProbeForEveryFlaggedLatent()
    {
        var (job, result) = await fixture.RunAsync("probing", new
        {
            corpusId = Corpus, vocabularyId = Vocabulary, classLabel = "blue", scoreMargin = 100, zThreshold = 0, minSamples = 1,
        });
        var detection = result.GetProperty("detection").GetProperty("flagged").GetArrayLength();
        var modes = result.GetProperty("probing").GetProperty("failureModes").EnumerateArray().ToList();
        Assert.Equal(detection, modes.Count);
        foreach (var m in modes)
            foreach (var prober in new[] { "textPrompt", "templatedPrompt", "linearProbe" })
                Assert.InRange(m.GetProperty(prober).GetProperty("spuriousAuc").GetDouble(), 0, 1);
        Assert.Equal(8, result.GetProperty("probing").GetProperty("classImages").GetInt32());
        await PlotAsync(job.JobId);
    }

    [Fact]
    public async Task MaskingGivesAccuracyPerKForClassRandomAndDatasetSelectionsOnAndOff()
    {
        var (job, result) = await fixture.RunAsync("masking", new { corpusId = Corpus, vocabularyId = Vocabulary, ks = new[] { 1, 4, 96 } });
        var curves = result.GetProperty("curves").EnumerateArray().ToList();
        Assert.Equal(6, curves.Count);
        foreach (var c in curves)
            Assert.All(c.GetProperty("points").EnumerateArray(), p => Assert.InRange(p.GetProperty("accuracy").GetDouble(), 0, 1));
        // On all 96 latents is the full reconstruction, whatever the selection.
        double all = result.GetProperty("reconstructionAccuracy").GetDouble();
        foreach (var c in curves.Where(c => c.GetProperty("mode").GetString() == "on"))
            Assert.Equal(all, c.GetProperty("points")[2].GetProperty("accuracy").GetDouble(), 1e-12);
        await PlotAsync(job.JobId);
    }

    [Fact]
    public async Task ASharedSaeOnTwoBackbonesGivesHighAndChangedLatentsPerClass()
    {
        var (job, result) = await fixture.RunAsync("shared-sae", new { otherSaeId = EvaluationApiFixture.OtherSaeId, corpusId = Corpus, upperRank = 5, lowerRank = 10 });
        var classes = result.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(["blue", "green", "red"], classes.Select(c => c.GetProperty("label").GetString()));
        Assert.All(classes, c => Assert.Equal(8, c.GetProperty("images").GetInt32()));
        Assert.Equal(classes.Average(c => c.GetProperty("high").GetArrayLength()), result.GetProperty("mean").GetProperty("high").GetDouble(), 1e-12);
        await PlotAsync(job.JobId);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadRequests => new()
    {
        { "/api/saes/no-such-sae/evaluations/faithfulness", """{"corpusId":"shapes","vocabularyId":"shape-classes"}""", HttpStatusCode.NotFound, "no-such-sae" },
        { $"/api/saes/{Sae}/evaluations/faithfulness", """{"vocabularyId":"shape-classes"}""", HttpStatusCode.BadRequest, "corpusId" },
        { $"/api/saes/{Sae}/evaluations/faithfulness", """{"corpusId":"nope","vocabularyId":"shape-classes"}""", HttpStatusCode.BadRequest, "corpusId" },
        { $"/api/saes/{Sae}/evaluations/faithfulness", """{"corpusId":"shapes","vocabularyId":"nope"}""", HttpStatusCode.BadRequest, "vocabularyId" },
        { $"/api/saes/{Sae}/evaluations/faithfulness", """{"corpusId":"shapes","vocabularyId":"shape-classes","maxImages":8}""", HttpStatusCode.BadRequest, "maxImages" },
        { $"/api/saes/{Sae}/evaluations/faithfulness", """{"corpusId":"shapes","vocabularyId":"shape-classes","randomReferences":0}""", HttpStatusCode.BadRequest, "randomReferences" },
        { $"/api/saes/{Sae}/evaluations/failure-detection", """{"corpusId":"shapes","vocabularyId":"shape-classes"}""", HttpStatusCode.BadRequest, "classLabel" },
        { $"/api/saes/{Sae}/evaluations/failure-detection", """{"corpusId":"shapes","vocabularyId":"shape-classes","classLabel":"duck"}""", HttpStatusCode.BadRequest, "classLabel" },
        { $"/api/saes/{Sae}/evaluations/failure-detection", """{"corpusId":"shapes","vocabularyId":"shape-classes","classLabel":"red","referenceCorpusId":"nope"}""", HttpStatusCode.BadRequest, "referenceCorpusId" },
        { $"/api/saes/{Sae}/evaluations/failure-detection", """{"corpusId":"shapes","vocabularyId":"shape-classes","classLabel":"red","minSamples":0}""", HttpStatusCode.BadRequest, "minSamples" },
        { $"/api/saes/{Sae}/evaluations/probing", """{"corpusId":"shapes","vocabularyId":"shape-classes","classLabel":"red","scoreMargin":-1}""", HttpStatusCode.BadRequest, "scoreMargin" },
        { $"/api/saes/{Sae}/evaluations/masking", """{"corpusId":"shapes","vocabularyId":"shape-classes","ks":[1,97]}""", HttpStatusCode.BadRequest, "ks" },
        { $"/api/saes/{Sae}/evaluations/masking", """{"corpusId":"shapes","vocabularyId":"shape-classes","threshold":-0.5}""", HttpStatusCode.BadRequest, "threshold" },
        { $"/api/saes/{EvaluationApiFixture.OtherSaeId}/evaluations/masking", """{"corpusId":"shapes","vocabularyId":"shape-classes"}""", HttpStatusCode.BadRequest, "vocabularyId" },
        { $"/api/saes/{Sae}/evaluations/shared-sae", """{"corpusId":"shapes"}""", HttpStatusCode.BadRequest, "otherSaeId" },
        { $"/api/saes/{Sae}/evaluations/shared-sae", """{"otherSaeId":"sae","corpusId":"shapes"}""", HttpStatusCode.BadRequest, "otherSaeId" },
        { $"/api/saes/{Sae}/evaluations/shared-sae", """{"otherSaeId":"sae-c","corpusId":"shapes"}""", HttpStatusCode.BadRequest, "otherSaeId" },
        { $"/api/saes/{Sae}/evaluations/shared-sae", """{"otherSaeId":"sae-b","corpusId":"shapes","upperRank":20,"lowerRank":10}""", HttpStatusCode.BadRequest, "lowerRank" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ABadEvaluationRequestIsAProblemNamingTheFieldAndQueuesNoJob(string url, string body, HttpStatusCode status, string names)
    {
        int jobs = (await Client.GetAsync<Grains.Jobs.JobSummary[]>("/api/jobs")).Length;
        var response = await Client.PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(jobs, (await Client.GetAsync<Grains.Jobs.JobSummary[]>("/api/jobs")).Length);
        Assert.True(response.StatusCode == status, $"{url} {body}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status == HttpStatusCode.BadRequest)
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(names, out _), $"errors do not name '{names}': {text}");
        else Assert.Contains(names, text);
    }

    [Fact]
    public async Task FailureModesNeedAClassAndAreA404UntilADetectionOfThatClassFinished()
    {
        var missing = await Client.GetAsync($"/api/saes/{Sae}/failure-modes");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("\"class\"", await missing.Content.ReadAsStringAsync());
        var none = await Client.GetAsync($"/api/saes/{Sae}/failure-modes?class=green");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("green", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/saes/no-such-sae/failure-modes?class=red")).StatusCode);
    }
}
