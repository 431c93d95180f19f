using System.Net;
using System.Text.Json;
using Actors.Analysis.Alignment;
using Actors.Analysis.Gradients;
using Actors.Api.Endpoints;
using Actors.Api.Tests.Fixtures;
using Actors.GpuHost.Jobs.Labelling;
using Actors.Grains.Concepts;
using Actors.Grains.Jobs;
using Actors.Grains.Latents;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// The "latent-labels" job over the ingested test world, against independent computations: semantic alignment
/// (seed 000 Eq. 2) of the latents' reference images, clarity, Logit Lens (Eq. 3), the concepts' aligned latents, and the
/// latent list's label, alignment and activation filters that read what it stored.
/// </summary>
public sealed class LabellingTests(SqliteIngestedApiFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteIngestedApiFixture>
{
    const string Sae = IngestedApiFixture.SaeId, Vocabulary = IngestedApiFixture.VocabularyId;
    HttpClient Client => fixture.Client;

    /// <summary>Runs the job by its route (the fixture's automatic ones have ended) and returns its result.</summary>
    async Task<LatentLabellingResult> LabelAsync()
    {
        var response = await Client.PostAsync($"/api/saes/{Sae}/labelling", new { vocabularyId = Vocabulary });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.ReadAsync<JobView>();
        Assert.Equal($"/api/jobs/{job.JobId}", response.Headers.Location?.OriginalString);
        await Client.WaitForJobsAsync(LatentLabellingJobs.Kind, atLeast: 1, TimeSpan.FromSeconds(60));
        var ended = await Client.GetAsync<JobView>($"/api/jobs/{job.JobId}");
        Assert.True(ended.Status == JobStatus.Succeeded, $"job {ended.JobId}: {ended.Status} {ended.Error}");
        return JsonSerializer.Deserialize<LatentLabellingResult>(ended.Result!, ApiJson.Options)!;
    }

    /// <summary>x of every reference image of every listed latent, s_j(t) per latent (double), t_empty, the concept set.</summary>
    async Task<(Dictionary<int, (float[] Rows, int Count)> References, Dictionary<int, double[]> Alignments, ConceptSet Concepts)> IndependentAsync()
    {
        var attribution = new IndependentAttribution(fixture.World);
        var views = await Task.WhenAll(TestWorld.Classes.Select(c => Client.GetAsync<ConceptView>($"/api/vocabularies/{Vocabulary}/concepts/{c}")));
        int dim = views[0].Embedding.Length;
        var concepts = new ConceptSet(TestWorld.Classes, [.. views.SelectMany(v => v.Embedding)], dim);
        var empty = attribution.Text("a photo of a .");   // t_empty: the empty concept in the vocabulary's template
        var references = new Dictionary<int, (float[], int)>();
        var alignments = new Dictionary<int, double[]>();
        var listed = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=500");
        foreach (var item in listed.Items)
        {
            var latent = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{item.Latent}");
            if (latent.References.Length == 0) continue;
            var rows = latent.References.SelectMany(r => attribution.Model.Vision.Encode(
                attribution.Pixels(File.ReadAllBytes(Path.Combine(fixture.World.CorpusFolder, r.Image.ImageId))), 1)).ToArray();
            references[item.Latent] = (rows, latent.References.Length);
            alignments[item.Latent] = SemanticAlignment.Scores(SemanticAlignment.MeanEmbedding(rows, latent.References.Length, dim), concepts, empty);
        }
        return (references, alignments, concepts);
    }

    [Fact]
    public async Task EachLatentsLabelsClarityAndLogitLensEqualAnIndependentComputationFromItsReferenceImages()
    {
        var result = await LabelAsync();
        var (references, alignments, concepts) = await IndependentAsync();
        Assert.Equal(references.Count, result.LatentsLabelled);
        Assert.Equal(0, result.ImagesUnreadable);
        Assert.True(result.LogitLens, result.LogitLensNote);

        var attribution = new IndependentAttribution(fixture.World);
        var lens = new LogitLens(IndependentAttribution.Hook, attribution.Sae, Actors.Vision.Clip.ClipCheckpoint.Load(fixture.World.ModelFolder).Vision,
            attribution.Model.Config.Vision.LayerNormEps);
        double worst = 0;
        foreach (var (latent, s) in alignments)
        {
            var view = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{latent}");
            var labels = view.SemanticLabels!;
            Assert.Equal(Vocabulary, labels.Vocabulary);
            var expected = concepts.Top(s, 5);
            Assert.Equal(expected.Select(e => e.Score), labels.Labels.Select(l => l.Alignment), new Close(1e-5));
            Assert.Equal(expected[0].Label, labels.Assigned!.Text);
            var (rows, count) = references[latent];
            if (count >= 2) Assert.Equal(Clarity.Naive(rows, count, concepts.Dim), labels.Clarity!.Value, 1e-5);
            else Assert.Null(labels.Clarity);
            var lensExpected = concepts.Top(lens.Scores(latent, concepts), 5);
            Assert.Equal(lensExpected.Select(e => e.Label), view.LogitLens!.Scores.Select(e => e.Text));
            Assert.Equal(lensExpected.Select(e => e.Score), view.LogitLens.Scores.Select(e => e.Score), new Close(1e-5));
            worst = Math.Max(worst, expected.Zip(labels.Labels).Max(p => Math.Abs(p.First.Score - p.Second.Alignment)));
        }
        output.WriteLine($"{alignments.Count} latents labelled; max |s_j(t) − independent Eq. 2| {worst:G3}");
    }

    [Fact]
    public async Task EachConceptListsTheLatentsBestAlignedWithItThatBeatTheEmptyPrompt()
    {
        await LabelAsync();
        var (_, alignments, concepts) = await IndependentAsync();
        for (int c = 0; c < concepts.Count; c++)
        {
            var view = await Client.GetAsync<ConceptView>($"/api/vocabularies/{Vocabulary}/concepts/{concepts.Labels[c]}");
            var expected = alignments.Where(a => a.Value[c] > 0).OrderByDescending(a => a.Value[c]).ThenBy(a => a.Key).Take(10).ToList();
            var stored = view.AlignedLatents.Where(a => a.SaeId == Sae).ToList();
            Assert.Equal(expected.Select(e => e.Key), stored.Select(a => a.Latent));
            Assert.Equal(expected.Select(e => e.Value[c]), stored.Select(a => a.Score), new Close(1e-5));
        }
        Assert.Contains(TestWorld.Classes, c => alignments.Values.Any(s => s[Array.IndexOf(TestWorld.Classes, c)] > 0));
    }

    [Fact]
    public async Task TheLabelFilterReturnsExactlyTheLatentsWhoseAssignedSemanticLabelItIs()
    {
        await LabelAsync();
        var all = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=500");
        Assert.Contains(all.Items, i => i.SemanticLabel is not null);
        foreach (var label in TestWorld.Classes)
        {
            var filtered = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?label={label}&pageSize=500");
            Assert.Equal(all.Items.Where(i => i.SemanticLabel == label).Select(i => i.Latent), filtered.Items.Select(i => i.Latent));
        }
        Assert.Equal(all.Items.Count(i => i.SemanticLabel is not null),
            TestWorld.Classes.Sum(l => all.Items.Count(i => i.SemanticLabel == l)));
    }

    [Fact]
    public async Task HighActivationLowAlignmentKeepsExactlyTheLatentsOnTheRightSideOfBothThresholds()
    {
        await LabelAsync();
        var all = (await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?pageSize=500")).Items;
        var one = all.First(i => i.Alignment is not null);
        var view = await Client.GetAsync<LatentView>($"/api/saes/{Sae}/latents/{one.Latent}");
        Assert.Equal(view.References.Average(r => r.Activation), one.ReferenceActivation, 1e-9);   // App. C.2's "average activation"
        Assert.Equal(view.SemanticLabels!.Assigned!.Alignment, one.Alignment!.Value, 12);
        Assert.Equal(view.SemanticLabels.Clarity, one.Clarity);

        double activation = Median(all.Select(i => i.ReferenceActivation)), alignment = Median(all.Where(i => i.Alignment is not null).Select(i => i.Alignment!.Value));
        var filtered = await Client.GetAsync<LatentPage>(
            $"/api/saes/{Sae}/latents?minReferenceActivation={activation:R}&maxAlignment={alignment:R}&sort=latent&descending=false&pageSize=500");
        var expected = all.Where(i => i.ReferenceActivation >= activation && i.Alignment <= alignment).Select(i => i.Latent).Order().ToList();
        output.WriteLine($"τ_act {activation:G4}, τ_align {alignment:G4}: {expected.Count} of {all.Length} latents");
        Assert.NotEmpty(expected);
        Assert.Equal(expected, filtered.Items.Select(i => i.Latent));

        var byAlignment = await Client.GetAsync<LatentPage>($"/api/saes/{Sae}/latents?sort=alignment&descending=false&pageSize=500");
        var labelled = byAlignment.Items.TakeWhile(i => i.Alignment is not null).ToList();
        Assert.Equal(labelled.Select(i => i.Alignment).Order(), labelled.Select(i => i.Alignment));
        Assert.All(byAlignment.Items.Skip(labelled.Count), i => Assert.Null(i.Alignment));
    }

    [Fact]
    public async Task TheAutomaticLabellingRanOnceForTheVocabularyAndOnceForTheCompletedIngestion()
    {
        var jobs = fixture.LabellingJobs.Where(j => j.Subject == Sae).ToList();
        Assert.True(jobs.Count >= 2, $"{jobs.Count} labelling jobs for SAE '{Sae}'");
        foreach (var job in jobs)
        {
            var view = await Client.GetAsync<JobView>($"/api/jobs/{job.JobId}");
            Assert.Equal(JobStatus.Succeeded, view.Status);
            Assert.Equal(Vocabulary, JsonSerializer.Deserialize<LatentLabellingParameters>(view.Parameters, ApiJson.Options)!.VocabularyId);
        }
    }

    [Theory]
    [InlineData("no-such-sae", "{\"vocabularyId\":\"shape-classes\"}", HttpStatusCode.NotFound, null, "no-such-sae")]
    [InlineData(Sae, "{}", HttpStatusCode.BadRequest, "vocabularyId", null)]
    [InlineData(Sae, "{\"vocabularyId\":\"no-such-vocabulary\"}", HttpStatusCode.NotFound, null, "no-such-vocabulary")]
    public async Task ALabellingRequestForAnUnknownSaeOrVocabularyIsA4xxProblem(string sae, string json, HttpStatusCode status, string? field, string? mentions)
    {
        var response = await Client.PostAsync($"/api/saes/{sae}/labelling", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(status, field, mentions);
    }

    [Theory]
    [InlineData("minRelevance=0.1", "class")]
    [InlineData("sort=relevance", "class")]
    [InlineData("class=purple", "class")]
    [InlineData("sort=colour", "sort")]
    public async Task ARelevanceFilterWithoutAnIngestedClassIsA400NamingIt(string query, string field) =>
        await (await Client.GetAsync($"/api/saes/{Sae}/latents?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, field);

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    sealed class Close(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
