using System.Net;
using System.Text;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Sae;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// Which images the relevance moments of seed 000 Eq. 8 cover: those whose label is a class of the ingestion's
/// vocabulary, embedded by the SAE's own model. Without a vocabulary, for a label the vocabulary lacks, or with a
/// vocabulary of another model, a class has no relevance moments (and its images are not counted as zeros). The test
/// world's SAE (layer 0, all tokens) is registered once per case, so each case's latents are its own.
/// </summary>
public sealed class ClassRelevanceIngestionTests(ModelApiFixture fixture) : IClassFixture<ModelApiFixture>
{
    HttpClient Client => fixture.Client;
    TestWorld World => fixture.World;

    async Task<(SaeView Sae, LatentView[] Latents, CorpusView Corpus)> IngestAsync(string saeId, string? vocabularyId)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/saes", new { id = saeId, modelId = ModelApiFixture.ModelId, path = World.SaeFolder, layer = TestWorld.Layer, tokens = "all" })).StatusCode);
        string corpus = $"{saeId}-corpus";
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/corpora", new { id = corpus, kind = "folder", path = World.CorpusFolder })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsync($"/api/corpora/{corpus}/ingestion", new { saeId, vocabularyId })).StatusCode);
        var done = await Client.WaitForCompletionAsync(corpus, TimeSpan.FromSeconds(60));
        var latents = new List<LatentView>();
        for (int s = 0; s < TestWorld.DSae; s++) latents.Add(await Client.GetAsync<LatentView>($"/api/saes/{saeId}/latents/{s}"));
        return (await Client.GetAsync<SaeView>($"/api/saes/{saeId}"), [.. latents.Where(l => l.FiringImages > 0)], done);
    }

    async Task PutVocabularyAsync(string id, string modelId, params string[] concepts)
    {
        var response = await Client.PutAsync($"/api/vocabularies/{id}?modelId={modelId}", new StringContent(string.Join('\n', concepts), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    static void AssertNoRelevance(SaeView sae, LatentView[] latents, CorpusView corpus, IEnumerable<string> classes)
    {
        Assert.NotEmpty(latents);
        Assert.All(classes, c => Assert.Equal(0, sae.Totals.RelevanceImagesOf(c)));
        Assert.All(latents.SelectMany(l => l.Classes.Where(c => classes.Contains(c.Label))), c =>
            Assert.Equal((0L, 0.0, 0.0), (c.RelevanceImages, c.MeanRelevance, c.RelevanceStdDev)));
        Assert.Equal(0, corpus.Stages.Relevance);
    }

    [Fact]
    public async Task WithoutAVocabularyNoClassHasRelevanceMoments()
    {
        var (sae, latents, corpus) = await IngestAsync("rel-none", vocabularyId: null);
        AssertNoRelevance(sae, latents, corpus, TestWorld.Classes);
        Assert.Empty(sae.Totals.RelevanceImages);
    }

    [Fact]
    public async Task ALabelTheVocabularyLacksGetsNoRelevanceMomentsWhileItsClassesMatchActTimesGrad()
    {
        await PutVocabularyAsync("blue-green", ModelApiFixture.ModelId, "blue", "green");
        var (sae, latents, corpus) = await IngestAsync("rel-some", "blue-green");
        AssertNoRelevance(sae, latents, corpus with { Stages = IngestionStages.None }, ["red"]);
        Assert.True(corpus.Stages.Relevance > 0, $"stages {corpus.Stages}");
        var hook = new SaeHookSpec(TestWorld.Layer, TokenSelection.All, $"blocks.{TestWorld.Layer}.hook_resid_post");
        var truth = new IndependentRelevance(World, World.SaeFolder, hook, ["blue", "green"]);
        foreach (var latent in latents)
            foreach (var c in latent.Classes.Where(c => c.Label != "red"))
                truth.AssertMatches(c, latent.Latent);
    }

    [Fact]
    public async Task AVocabularyEmbeddedByAnotherModelGivesNoRelevance()
    {
        // The same files under another activation are another model: its text embeddings are not the SAE model's t.
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/models", new { id = "tiny-gelu", path = World.ModelFolder, activation = "gelu" })).StatusCode);
        await PutVocabularyAsync("gelu-colours", "tiny-gelu", TestWorld.Classes);
        var (sae, latents, corpus) = await IngestAsync("rel-other-model", "gelu-colours");
        AssertNoRelevance(sae, latents, corpus, TestWorld.Classes);
    }
}
