using Orleans;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text;
using System.Text.Json;
using Actors.Api.Endpoints;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Concepts;
using Actors.Grains.Jobs;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Vision.Imaging;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// The API driven over HTTP against real storage, once per storage (the subclasses). The fixture has registered
/// and ingested the test world; these tests read what came out and probe the error paths.
/// </summary>
public abstract class ApiFunctionalTests(IngestedApiFixture fixture, ITestOutputHelper output)
{
    protected IngestedApiFixture Fixture { get; } = fixture;
    HttpClient Client => Fixture.Client;
    const string Sae = IngestedApiFixture.SaeId;

    [Fact]
    public async Task RegisteringModelSaeAndCorpusAnswers201AndGetReturnsThem()
    {
        Assert.Equal(HttpStatusCode.Created, Fixture.ModelRegistration.Status);
        Assert.Equal(HttpStatusCode.Created, Fixture.SaeRegistration.Status);
        Assert.Equal(HttpStatusCode.Created, Fixture.CorpusRegistration.Status);

        var model = await Client.GetAsync<ModelRecord>($"/api/models/{IngestedApiFixture.ModelId}");
        Assert.Equal(Path.GetFullPath(Fixture.World.ModelFolder), Path.GetFullPath(model.Path));
        Assert.Equal(Fixture.World.VisionWidth, model.VisionWidth);
        Assert.Equal(Fixture.World.TokensPerImage, model.TokensPerImage);
        Assert.Contains(IngestedApiFixture.ModelId, await Client.GetAsync<string[]>("/api/models"));

        var sae = await Client.GetAsync<SaeView>($"/api/saes/{Sae}");
        Assert.Equal(new HookSpec(TestWorld.Layer, "all"), sae.Record!.Hook);
        Assert.Equal(TestWorld.DSae, sae.Record.DSae);
        Assert.Equal("topk", sae.Record.Architecture);
        Assert.Equal(IngestedApiFixture.ModelId, sae.Record.ModelId);
        Assert.Contains(Sae, await Client.GetAsync<string[]>("/api/saes"));

        var corpus = await Client.GetAsync<CorpusView>($"/api/corpora/{IngestedApiFixture.CorpusId}");
        Assert.Equal(new CorpusSource("folder", Path.GetFullPath(Fixture.World.CorpusFolder)), corpus.Source);
        Assert.Contains(IngestedApiFixture.CorpusId, await Client.GetAsync<string[]>("/api/corpora"));
    }

    [Fact]
    public void IngestionStartsWith202AndCompletesListingTheCorruptAndTruncatedFilesWithReasons()
    {
        Assert.Equal(HttpStatusCode.Accepted, Fixture.IngestionStart.Status);
        var done = Fixture.Completed;
        int files = Fixture.World.GoodImages.Count + 2;
        Assert.Equal(files, done.ImagesTotal);
        Assert.Equal(files, done.ImagesDone);
        Assert.Equal((files + IngestedApiFixture.BatchSize - 1) / IngestedApiFixture.BatchSize, done.BatchesApplied);
        Assert.Equal((done.BatchesApplied, done.BatchesApplied), (done.BatchesProcessed, done.BatchesTotal));
        Assert.Equal(Sae, done.SaeId);
        Assert.Null(done.Error);
        Assert.Equal([TestWorld.CorruptFile, TestWorld.TruncatedFile], done.FailedFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(done.FailedFiles, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason), $"{f.Path} has no reason"));
        // Every batch ran the model, the SAE, delivery and a checkpoint, and their seconds were recorded once each.
        var stages = done.Stages;
        Assert.All(new[] { stages.Forward, stages.Encode, stages.Relevance, stages.Sketch, stages.Deliver }, s => Assert.True(s > 0, $"stages {stages}"));
        Assert.True(stages.LoadWait >= 0 && stages.Sketch >= 0, $"stages {stages}");
        Assert.Equal(done.ImagesDone / stages.Total, done.ImagesPerSecond, 9);
    }

    [Fact]
    public async Task AnIngestionIsAJobOfKindIngestionListedWithItsProgressThatEndsSucceeded()
    {
        var started = JsonSerializer.Deserialize<CorpusView>(Fixture.IngestionStart.Body, ApiJson.Options)!;
        string jobId = Assert.IsType<string>(started.JobId);
        Assert.Equal(CorpusStatus.Ingesting, started.Status);
        Assert.Equal(jobId, Fixture.Completed.JobId);
        var job = await Client.WaitForJobAsync(jobId, TimeSpan.FromSeconds(60));
        var listed = Assert.Single(await Client.GetAsync<JobSummary[]>("/api/jobs?kind=ingestion"), j => j.Subject == IngestedApiFixture.CorpusId);
        Assert.Equal((jobId, JobStatus.Succeeded), (listed.JobId, listed.Status));

        int files = Fixture.World.GoodImages.Count + 2, batches = (files + IngestedApiFixture.BatchSize - 1) / IngestedApiFixture.BatchSize;
        Assert.Equal(("ingestion", IngestedApiFixture.CorpusId, JobStatus.Succeeded, 1), (job.Kind, job.Subject, job.Status, job.Attempts));
        Assert.Equal(((long)files, (long)files, "completed"), (job.Progress.Done, job.Progress.Total, job.Progress.Stage));
        Assert.Equal(((double)batches, (double)batches), (job.Progress.Metrics["batchesDone"], job.Progress.Metrics["batchesTotal"]));
        var parameters = JsonDocument.Parse(job.Parameters).RootElement;
        Assert.Equal((IngestedApiFixture.CorpusId, Sae, IngestedApiFixture.VocabularyId),
            (parameters.GetProperty("corpusId").GetString(), parameters.GetProperty("saeId").GetString(), parameters.GetProperty("vocabularyId").GetString()));
        var result = JsonDocument.Parse(job.Result!).RootElement;
        Assert.Equal((files, 2, batches, 0), (result.GetProperty("imagesDone").GetInt32(), result.GetProperty("failedFiles").GetInt32(),
            result.GetProperty("batches").GetInt32(), result.GetProperty("batchesRecordedBefore").GetInt32()));
        // The labelling it queued at its end (for the vocabulary of the SAE's model) is named in its result.
        var labelling = result.GetProperty("labellingJobs").EnumerateArray().Select(j => j.GetString()!).ToArray();
        Assert.Contains(Assert.Single(labelling), Fixture.LabellingJobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task StartingAnIngestionWithUnknownIdsOrWhileOneRunsIsA4xxProblem()
    {
        string model = $"tiny-{Guid.NewGuid():N}"[..16], sae = $"sae-{Guid.NewGuid():N}"[..16], corpus = $"again-{Guid.NewGuid():N}"[..16];
        // A model of its own (no vocabulary embeds it): nothing here changes the fixture's SAE or queues labelling.
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/models", new { id = model, path = Fixture.World.ModelFolder })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/saes", new { id = sae, modelId = model, path = Fixture.World.SaeFolder, layer = TestWorld.Layer, tokens = "all" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/corpora", new { id = corpus, kind = "folder", path = Fixture.World.CorpusFolder })).StatusCode);

        await ProblemAsync(await Client.PostAsync($"/api/corpora/no-such-corpus/ingestion", new { saeId = sae }), HttpStatusCode.NotFound, "no-such-corpus");
        await ProblemAsync(await Client.PostAsync($"/api/corpora/{corpus}/ingestion", new { saeId = "no-such-sae" }), HttpStatusCode.BadRequest, "no-such-sae");
        await ProblemAsync(await Client.PostAsync($"/api/corpora/{corpus}/ingestion", new { saeId = sae, vocabularyId = "no-such-vocabulary" }),
            HttpStatusCode.BadRequest, "no-such-vocabulary");
        var starts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Client.PostAsync($"/api/corpora/{corpus}/ingestion", new { saeId = sae })));
        var accepted = Assert.Single(starts, r => r.StatusCode == HttpStatusCode.Accepted);
        var view = await accepted.ReadAsync<CorpusView>();
        Assert.Equal($"/api/corpora/{corpus}", accepted.Headers.Location?.OriginalString);
        await ProblemAsync(Assert.Single(starts, r => r != accepted), HttpStatusCode.Conflict, $"job '{view.JobId}'");
        Assert.Equal(JobStatus.Succeeded, (await Client.WaitForJobAsync(view.JobId!, TimeSpan.FromSeconds(60))).Status);
    }

    [Fact]
    public async Task SaeTotalsCountEveryTokenOfEveryDecodedImage()
    {
        var sae = await Client.GetAsync<SaeView>($"/api/saes/{Sae}");
        int images = Fixture.World.GoodImages.Count;
        Assert.Equal(images, sae.Totals.Images);
        Assert.Equal((long)images * Fixture.World.TokensPerImage, sae.Totals.Tokens);
        foreach (var label in TestWorld.Classes)
            Assert.Equal(Fixture.World.GoodImages.Count(i => i.StartsWith(label + "/")), sae.Totals.ImagesOf(label));
        Assert.Contains(IngestedApiFixture.CorpusId, sae.Corpora);
    }

    [Fact]
    public async Task LatentListIsSortedByFrequencyDescendingAndPagesWithoutGapsOrOverlap()
    {
        var all = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=500");
        Assert.True(all.Total > 5, $"only {all.Total} latents fired; the test world should make more fire");
        Assert.Equal(all.Total, all.Items.Length);
        for (int i = 1; i < all.Items.Length; i++)
        {
            var (a, b) = (all.Items[i - 1], all.Items[i]);
            Assert.True(a.TokenFrequency > b.TokenFrequency || (a.TokenFrequency == b.TokenFrequency && a.Latent < b.Latent),
                $"items {i - 1} and {i} out of order: latent {a.Latent} ({a.TokenFrequency}) before {b.Latent} ({b.TokenFrequency})");
        }
        Assert.All(all.Items, i => Assert.InRange(i.TokenFrequency, double.Epsilon, 1));

        var paged = new List<LatentListItem>();
        for (int page = 0; page * 4 < all.Total; page++)
        {
            var p = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?sort=frequency&page={page}&pageSize=4");
            Assert.Equal(all.Total, p.Total);
            Assert.True(p.Items.Length == Math.Min(4, all.Total - page * 4), $"page {page} has {p.Items.Length} items");
            paged.AddRange(p.Items);
        }
        Assert.Equal(all.Items.Select(i => i.Latent), paged.Select(i => i.Latent));

        var ascending = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?sort=max&descending=false&pageSize=500");
        Assert.Equal(all.Items.OrderBy(i => i.MaxActivation).ThenBy(i => i.Latent).Select(i => i.Latent), ascending.Items.Select(i => i.Latent));
    }

    [Fact]
    public async Task LatentListFilteredByTopLabelHoldsExactlyTheLatentsWhoseTopLabelItIs()
    {
        var all = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=500");
        foreach (var label in TestWorld.Classes)
        {
            var filtered = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?topLabel={label}&pageSize=500");
            Assert.All(filtered.Items, i => Assert.Equal(label, i.TopLabel));
            Assert.Equal(all.Items.Where(i => i.TopLabel == label).Select(i => i.Latent), filtered.Items.Select(i => i.Latent));
        }
        Assert.Equal(all.Total, TestWorld.Classes.Sum(l => all.Items.Count(i => i.TopLabel == l)));
    }

    [Theory]
    [InlineData("sort=colour", "sort")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=-1", "page")]
    public async Task BadListingParametersAre400ProblemDetailsNamingTheParameter(string query, string field)
    {
        var response = await Client.GetAsync($"/api/saes/{Sae}/latents?{query}");
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors do not name '{field}': {problem}");
    }

    [Fact]
    public async Task OneLatentAgreesWithItsListingEntryAndTheSaeTotals()
    {
        var page = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=3");
        foreach (var item in page.Items)
        {
            var latent = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{item.Latent}");
            Assert.Equal(item.Latent, latent.Latent);
            Assert.Equal(Sae, latent.SaeId);
            Assert.Equal(item.TokenFrequency, latent.TokenFrequency, 12);
            Assert.Equal((double)latent.FiringTokens / page.TokensSeen, latent.TokenFrequency, 12);
            Assert.Equal((double)latent.FiringImages / page.ImagesSeen, latent.ImageFrequency, 12);
            Assert.Equal(item.MeanActivation, latent.MeanActivation, 12);
            Assert.Equal(item.MaxActivation, latent.MaxActivation!.Value, 12);
            Assert.Equal(latent.FiringTokens, latent.Histogram.Sum());
            Assert.Equal(latent.FiringImages, latent.Labels.Values.Sum(m => m.Images));
            Assert.InRange(latent.BatchesApplied, 1, Fixture.Completed.BatchesApplied);
        }
    }

    [Fact]
    public async Task ReferenceImagesAreSortedByActivationDescendingAndCarryAPatchHeatmap()
    {
        var page = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=5");
        int grid = (int)Math.Sqrt(Fixture.World.TokensPerImage - 1);
        foreach (var item in page.Items)
        {
            var references = await Client.GetAsync<ReferenceImage[]>($"/api/saes/{Sae}/latents/{item.Latent}/references");
            Assert.NotEmpty(references);
            for (int i = 1; i < references.Length; i++)
                Assert.True(references[i - 1].Activation >= references[i].Activation,
                    $"latent {item.Latent}: reference {i - 1} ({references[i - 1].Activation}) below reference {i} ({references[i].Activation})");
            Assert.All(references, r =>
            {
                Assert.Equal(IngestedApiFixture.CorpusId, r.Image.CorpusId);
                Assert.Contains(r.Image.ImageId, Fixture.World.GoodImages);
                Assert.Equal(grid, r.HeatmapWidth);
                Assert.Equal(grid * grid, r.Heatmap.Length);
            });
            Assert.Equal(references.Length, references.Select(r => r.Image.ImageId).Distinct().Count());
        }
    }

    [Fact]
    public async Task ReferencePngAndOverlayPngDecodeAtTheThumbnailSize()
    {
        var page = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=1");
        int latent = page.Items[0].Latent;
        var references = await Client.GetAsync<ReferenceImage[]>($"/api/saes/{Sae}/latents/{latent}/references");
        foreach (bool overlay in new[] { false, true })
        {
            var response = await Client.GetAsync($"/api/saes/{Sae}/latents/{latent}/references/0/image.png?overlay={overlay}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            var image = ImageCodec.Decode(bytes, $"reference 0 of latent {latent}, overlay {overlay}");
            // The corpus images are 40×36: the thumbnail's longer side is the configured size, aspect kept.
            Assert.Equal(IngestedApiFixture.ThumbnailSize, image.Width);
            Assert.InRange(image.Height, IngestedApiFixture.ThumbnailSize * 36 / 40 - 1, IngestedApiFixture.ThumbnailSize * 36 / 40 + 1);
        }
        var plain = await Client.GetByteArrayAsync($"/api/saes/{Sae}/latents/{latent}/references/0/image.png");
        var drawn = await Client.GetByteArrayAsync($"/api/saes/{Sae}/latents/{latent}/references/0/image.png?overlay=true");
        if (references[0].Heatmap.Any(v => v > 0)) Assert.NotEqual(plain, drawn);

        var outside = await Client.GetAsync($"/api/saes/{Sae}/latents/{latent}/references/{references.Length}/image.png");
        await ProblemAsync(outside, HttpStatusCode.NotFound, references.Length.ToString());
    }

    [Fact]
    public async Task UnknownSaeLatentCorpusModelAndConceptAre404ProblemsNamingTheId()
    {
        await ProblemAsync(await Client.GetAsync("/api/saes/no-such-sae/latents"), HttpStatusCode.NotFound, "no-such-sae");
        await ProblemAsync(await Client.GetAsync("/api/saes/no-such-sae/latents/3"), HttpStatusCode.NotFound, "no-such-sae");
        await ProblemAsync(await Client.GetAsync("/api/saes/no-such-sae"), HttpStatusCode.NotFound, "no-such-sae");
        await ProblemAsync(await Client.GetAsync($"/api/saes/{Sae}/latents/{TestWorld.DSae}"), HttpStatusCode.NotFound, TestWorld.DSae.ToString());
        await ProblemAsync(await Client.GetAsync($"/api/saes/{Sae}/latents/{TestWorld.DSae + 7}/references"), HttpStatusCode.NotFound, (TestWorld.DSae + 7).ToString());
        await ProblemAsync(await Client.GetAsync("/api/corpora/no-such-corpus"), HttpStatusCode.NotFound, "no-such-corpus");
        await ProblemAsync(await Client.GetAsync("/api/models/no-such-model"), HttpStatusCode.NotFound, "no-such-model");
        await ProblemAsync(await Client.PostAsync("/api/corpora/no-such-corpus/ingestion", new { saeId = Sae }), HttpStatusCode.NotFound, "no-such-corpus");
        await ProblemAsync(await Client.GetAsync("/api/vocabularies/none/concepts/nothing"), HttpStatusCode.NotFound, "none/nothing");
        await ProblemAsync(await Client.GetAsync("/api/jobs/no-such-job"), HttpStatusCode.NotFound, "no-such-job");
        await ProblemAsync(await Client.GetAsync("/api/jobs/no-such-job/plot"), HttpStatusCode.NotFound, "no-such-job");
        await ProblemAsync(await Client.PostAsync("/api/jobs/no-such-job/cancel", null), HttpStatusCode.NotFound, "no-such-job");
    }

    [Fact]
    public async Task TheJobListingAnswersAnArrayAndAnUnknownStatusIsA400NamingIt()
    {
        var response = await Client.GetAsync("/api/jobs?status=running");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.ValueKind);
        var problem = await ProblemAsync(await Client.GetAsync("/api/jobs?status=sleeping"), HttpStatusCode.BadRequest, "sleeping");
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Theory]
    [InlineData("/api/models")]
    [InlineData("/api/saes")]
    [InlineData("/api/corpora")]
    [InlineData("/api/corpora/shapes/ingestion")]
    public async Task MalformedJsonIsA400ProblemDetails(string url)
    {
        var response = await Client.PostAsync(url, new StringContent("{\"id\": \"x\", \"path\": ", Encoding.UTF8, "application/json"));
        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/models", "{\"id\":\"m2\"}", "path")]
    [InlineData("/api/models", "{\"path\":\"/tmp\"}", "id")]
    [InlineData("/api/saes", "{\"id\":\"s2\",\"path\":\"/tmp\"}", "modelId")]
    [InlineData("/api/saes", "{\"id\":\"s2\",\"modelId\":\"tiny\"}", "path")]
    [InlineData("/api/corpora", "{\"id\":\"c2\",\"path\":\"/tmp\"}", "kind")]
    [InlineData("/api/corpora", "{\"id\":\"c2\",\"kind\":\"folder\"}", "path")]
    [InlineData("/api/corpora/shapes/ingestion", "{}", "saeId")]
    [InlineData("/api/models", "{\"id\":\"../up\",\"path\":\"/tmp\"}", "id")]
    [InlineData("/api/corpora", "{\"id\":\"c3\",\"kind\":\"folder\",\"path\":\"/no/such/folder\"}", "path")]
    public async Task MissingOrInvalidFieldsAre400ValidationProblemsNamingTheField(string url, string json, string field)
    {
        var response = await Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
            $"POST {url} {json}: the problem does not name '{field}': {problem}");
    }

    [Fact]
    public async Task OversizedBodyIsA413Problem()
    {
        string path = new('a', IngestedApiFixture.MaxRequestBytes + 1000);
        var response = await Client.PostAsync("/api/models", new { id = "huge", path });
        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, IngestedApiFixture.MaxRequestBytes.ToString());
        await ProblemAsync(await Client.GetAsync("/api/models/huge"), HttpStatusCode.NotFound, "huge");
    }

    [Fact]
    public async Task VocabularyFromTextLinesGivesConceptsWithUnitNormTextEmbeddings()
    {
        var body = new StringContent("red\n  green square \n\nblue circle\nred\n", Encoding.UTF8, "text/plain");
        var response = await Client.PutAsync($"/api/vocabularies/colours?modelId={IngestedApiFixture.ModelId}", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var vocabulary = await response.ReadAsync<VocabularyView>();
        Assert.Equal(["red", "green square", "blue circle"], vocabulary.Concepts);
        Assert.Contains("colours", await Client.GetAsync<string[]>("/api/vocabularies"));

        var embeddings = new List<float[]>();
        foreach (var concept in vocabulary.Concepts)
        {
            var view = await Client.GetAsync<ConceptView>($"/api/vocabularies/colours/concepts/{Uri.EscapeDataString(concept)}");
            Assert.Equal(concept, view.Text);
            Assert.Equal(16, view.Embedding.Length);   // the tiny preset's projection width
            Assert.Equal(1.0, Math.Sqrt(view.Embedding.Sum(x => (double)x * x)), 5);
            embeddings.Add(view.Embedding);
        }
        Assert.NotEqual(embeddings[0], embeddings[1]);

        var empty = await Client.PutAsync($"/api/vocabularies/empty?modelId={IngestedApiFixture.ModelId}", new StringContent("\n \n", Encoding.UTF8, "text/plain"));
        await ProblemAsync(empty, HttpStatusCode.BadRequest);
        var noModel = await Client.PutAsync("/api/vocabularies/orphan?modelId=no-such-model", new StringContent("red", Encoding.UTF8, "text/plain"));
        await ProblemAsync(noModel, HttpStatusCode.BadRequest, "no-such-model");
    }

    [Fact]
    public async Task TheEmbeddedSiloHandsTheApiTheSameViewInstanceUntilTheLatentChanges()
    {
        // SerializedJson caches a view's JSON by instance: in the embedded default the API's grain calls stay in the
        // silo's process and an [Immutable] view is passed by reference, so a hot latent is serialized once.
        var grains = Fixture.Factory.Services.GetRequiredService<IGrainFactory>();
        var latent = grains.GetGrain<ILatentGrain>(LatentKey.Of(Sae, 0));
        var first = await latent.GetAsync();
        Assert.Same(first, await latent.GetAsync());
        await latent.SetLogitLensAsync(new LogitLensResult("test", [new("a shape", 0.5)]));
        Assert.NotSame(first, await latent.GetAsync());
    }

    [Fact]
    public async Task IngestionFillsClassLevelActivationsOfTheCorpusLabels()
    {
        foreach (var label in TestWorld.Classes)
        {
            var view = await Client.GetAsync<ConceptView>($"/api/vocabularies/{IngestedApiFixture.VocabularyId}/concepts/{label}");
            Assert.True(view.ClassActivations.ContainsKey(Sae), $"class '{label}' has no activations for SAE '{Sae}'");
        }
    }

    [Fact]
    public async Task OpenApiDocumentListsTheRoutesAndSwaggerUiServes()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var route in new[]
                 {
                     "/api/models", "/api/models/{id}", "/api/saes", "/api/saes/{id}", "/api/corpora", "/api/corpora/{id}",
                     "/api/corpora/{id}/ingestion", "/api/saes/{saeId}/latents", "/api/saes/{saeId}/latents/{latent}",
                     "/api/saes/{saeId}/latents/{latent}/references", "/api/saes/{saeId}/latents/{latent}/references/{rank}/image.png",
                     "/api/vocabularies", "/api/vocabularies/{vocabulary}", "/api/vocabularies/{vocabulary}/concepts/{concept}",
                 })
            Assert.True(paths.Contains(route) || paths.Contains(route + "/"), $"the OpenAPI document lacks {route}; it has {string.Join(", ", paths)}");
        // GET latent answers pre-serialized bytes; the document must still describe them as a LatentView
        string latentSchema = document.GetProperty("paths").GetProperty("/api/saes/{saeId}/latents/{latent}").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString()!;
        Assert.EndsWith("/LatentView", latentSchema);

        var ui = await Client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StoredStatisticsEqualAnIndependentForwardAndEncodeOfTheSameImages()
    {
        var (truth, tokens, images) = IndependentStatistics.Compute(Fixture.World, IngestedApiFixture.BatchSize);
        var sae = await Client.GetAsync<SaeView>($"/api/saes/{Sae}");
        Assert.Equal(tokens, sae.Totals.Tokens);
        Assert.Equal(images, sae.Totals.Images);
        var listed = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?sort=latent&descending=false&pageSize=500");
        Assert.Equal(truth.Keys.Order(), listed.Items.Select(i => i.Latent));

        double worstMean = 0, worstMax = 0, worstTop = 0;
        for (int s = 0; s < TestWorld.DSae; s++)
        {
            var stored = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{s}");
            if (!truth.TryGetValue(s, out var t))
            {
                Assert.Equal(0, stored.FiringTokens);
                Assert.Empty(stored.References);
                continue;
            }
            Assert.True(t.FiringTokens == stored.FiringTokens, $"latent {s}: {stored.FiringTokens} firing tokens stored, {t.FiringTokens} counted");
            Assert.True(t.FiringImages == stored.FiringImages, $"latent {s}: {stored.FiringImages} firing images stored, {t.FiringImages} counted");
            worstMean = Math.Max(worstMean, AssertClose(t.Mean, stored.MeanActivation, $"latent {s} mean activation"));
            worstMax = Math.Max(worstMax, AssertClose(t.Max, stored.MaxActivation!.Value, $"latent {s} max activation"));
            Assert.True(t.TopImage == stored.References[0].Image.ImageId,
                $"latent {s}: top reference {stored.References[0].Image.ImageId} ({stored.References[0].Activation}), expected {t.TopImage} ({t.TopImageActivation})");
            worstTop = Math.Max(worstTop, AssertClose(t.TopImageActivation, stored.References[0].Activation, $"latent {s} top image activation"));
        }
        output.WriteLine($"{truth.Count} latents fired; max relative difference: mean {worstMean:E2}, max {worstMax:E2}, top image {worstTop:E2}");
    }

    [Fact]
    public async Task ClassRelevanceMomentsEqualActTimesGradOfEachImageForItsClassPrompt()
    {
        // The fixture ingested with the vocabulary of the corpus's classes: every image is attributed to its class prompt.
        var hook = new Actors.Sae.SaeHookSpec(TestWorld.Layer, Actors.Sae.TokenSelection.All, $"blocks.{TestWorld.Layer}.hook_resid_post");
        var truth = new IndependentRelevance(Fixture.World, Fixture.World.SaeFolder, hook, TestWorld.Classes);
        var sae = await Client.GetAsync<SaeView>($"/api/saes/{Sae}");
        Assert.All(TestWorld.Classes, c => Assert.Equal(sae.Totals.ImagesOf(c), sae.Totals.RelevanceImagesOf(c)));
        double worst = 0;
        int compared = 0;
        for (int s = 0; s < TestWorld.DSae; s++)
        {
            var stored = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{s}");
            if (stored.FiringImages == 0) continue;
            foreach (var c in stored.Classes)
            {
                worst = Math.Max(worst, truth.AssertMatches(c, s));
                compared++;
                Assert.Equal(c.Images, c.RelevanceImages);
            }
        }
        Assert.True(compared > 10, $"only {compared} latent-class pairs compared");
        output.WriteLine($"{compared} latent-class relevance moments; largest difference {worst:E2} of the class's largest |R_j|");
    }

    /// <summary>Relative difference within 1e-5 (float32 activations); returns it.</summary>
    static double AssertClose(double expected, double actual, string what)
    {
        double rel = Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-12);
        Assert.True(rel <= 1e-5, $"{what}: stored {actual}, computed {expected} (relative difference {rel:E2})");
        return rel;
    }

    /// <summary>Asserts an RFC 7807 body with the status (and, if given, a text its title or detail holds); returns it.</summary>
    static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? mentions = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _), $"problem without a title: {body}");
        if (mentions is not null) Assert.Contains(mentions, body);
        return problem;
    }
}

public sealed class SqliteApiTests(SqliteIngestedApiFixture fixture, ITestOutputHelper output)
    : ApiFunctionalTests(fixture, output), IClassFixture<SqliteIngestedApiFixture>;

public sealed class PostgresApiTests(PostgresIngestedApiFixture fixture, ITestOutputHelper output)
    : ApiFunctionalTests(fixture, output), IClassFixture<PostgresIngestedApiFixture>;
