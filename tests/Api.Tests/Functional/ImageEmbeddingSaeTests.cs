using System.Net;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Clip;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// An SAE on CLIP's image embedding ("image_embeds": class token, LN_post, projection; one row of projection_dim per
/// image) registers from its own config or from the request's hook, ingests one row per image without a heatmap, and
/// its stored statistics are those of the embedding itself. Contradictory hook fields are a 400 naming the field.
/// </summary>
public sealed class ImageEmbeddingSaeTests(ModelApiFixture fixture) : IClassFixture<ModelApiFixture>
{
    const int DSae = 24, K = 3;
    HttpClient Client => fixture.Client;
    TestWorld World => fixture.World;

    /// <summary>A random top-k SAE on the tiny model's projection width; its cfg.json names image_embeds when asked.</summary>
    string WriteEmbeddingSae(bool namesHook)
    {
        int proj = RandomClipModel.Preset("tiny").ProjectionDim;
        string folder = fixture.NewFolder();
        var config = new TopKSaeConfig(proj, DSae, K) { Hook = namesHook ? SaeHookSpec.ImageEmbeds : null };
        SaeLensFolder.Write(folder, SparseAutoencoder.CreateRandom(config, seed: 21));
        return folder;
    }

    [Fact]
    public async Task AnSaeWhoseConfigNamesImageEmbedsRegistersIngestsOneRowPerImageAndStoresTheEmbeddingsStatistics()
    {
        string path = WriteEmbeddingSae(namesHook: true);
        var registered = await (await Client.PostAsync("/api/saes", new { id = "emb", modelId = ModelApiFixture.ModelId, path })).ReadAsync<SaeRecord>();
        Assert.Equal(new HookSpec(-1, "cls", HookSpec.ImageEmbeds), registered.Hook);

        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/corpora", new { id = "emb-shapes", kind = "folder", path = World.CorpusFolder })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsync("/api/corpora/emb-shapes/ingestion", new { saeId = "emb" })).StatusCode);
        await Client.WaitForCompletionAsync("emb-shapes", TimeSpan.FromSeconds(60));

        // One row per image: the SAE saw as many tokens as images.
        var images = CorpusImages.Read(World);
        var sae = await Client.GetAsync<SaeView>("/api/saes/emb");
        Assert.Equal((images.Count, images.Count), (sae.Totals.Images, sae.Totals.Tokens));

        // Independently: the image embedding (ClipVisionModel.Encode, not normalised) through the SAE, positives counted.
        var model = ClipModel.Load(World.ModelFolder);
        var autoencoder = SaeLensFolder.Read(path);
        var firing = new Dictionary<int, List<double>>();
        foreach (var image in images)
        {
            var a = autoencoder.Encode(model.Vision.Encode(image.Pixels, 1), 1);
            for (int n = 0; n < a.Indices.Length; n++)
                if (a.Values[n] > 0) (firing.TryGetValue(a.Indices[n], out var list) ? list : firing[a.Indices[n]] = []).Add(a.Values[n]);
        }
        Assert.NotEmpty(firing);
        for (int s = 0; s < DSae; s++)
        {
            var stored = await Client.GetAsync<LatentView>($"/api/saes/emb/latents/{s}");
            var values = firing.GetValueOrDefault(s) ?? [];
            Assert.Equal(values.Count, stored.FiringTokens);
            Assert.Equal(values.Count, stored.FiringImages);
            if (values.Count == 0) continue;
            Assert.Equal(values.Average(), stored.MeanActivation, 1e-5 * values.Average());
            Assert.All(stored.References, r => Assert.Equal((0, 0), (r.HeatmapWidth, r.Heatmap.Length)));   // no patches, no heatmap
            Assert.All(stored.Classes, c => Assert.Equal(0, c.RelevanceImages));   // no vocabulary, no relevance
        }
    }

    [Fact]
    public async Task AnImageEmbedsSaeIngestedWithItsClassesStoresTheActTimesGradMomentsOfEachClassPrompt()
    {
        string path = WriteEmbeddingSae(namesHook: true);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/saes", new { id = "emb-rel", modelId = ModelApiFixture.ModelId, path })).StatusCode);
        var vocabulary = await Client.PutAsync($"/api/vocabularies/emb-colours?modelId={ModelApiFixture.ModelId}",
            new StringContent(string.Join('\n', TestWorld.Classes), System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Created, vocabulary.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/api/corpora", new { id = "emb-rel-shapes", kind = "folder", path = World.CorpusFolder })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsync("/api/corpora/emb-rel-shapes/ingestion", new { saeId = "emb-rel", vocabularyId = "emb-colours" })).StatusCode);
        await Client.WaitForCompletionAsync("emb-rel-shapes", TimeSpan.FromSeconds(60));

        // At the image embedding ∂y/∂x is closed form (seed 000 Eq. 27); the attributor computes it on its own forward.
        var truth = new IndependentRelevance(World, path, SaeHookSpec.ImageEmbeds, TestWorld.Classes);
        int compared = 0;
        for (int s = 0; s < DSae; s++)
        {
            var stored = await Client.GetAsync<LatentView>($"/api/saes/emb-rel/latents/{s}");
            if (stored.FiringImages == 0) continue;
            foreach (var c in stored.Classes) { truth.AssertMatches(c, s); compared++; }
        }
        Assert.True(compared >= TestWorld.Classes.Length, $"only {compared} latent-class pairs compared");
    }

    [Fact]
    public async Task ARequestNamingImageEmbedsRegistersAnSaeWhoseConfigNamesNoHook()
    {
        var response = await Client.PostAsync("/api/saes", new { id = "emb-stated", modelId = ModelApiFixture.ModelId, path = WriteEmbeddingSae(namesHook: false), hook = "image_embeds" });
        Assert.Equal(new HookSpec(-1, "cls", HookSpec.ImageEmbeds), (await response.ReadAsync<SaeRecord>()).Hook);
    }

    [Theory]
    [InlineData("config", null, 0, null, "layer", "layer must be -1 or omitted, not 0")]
    [InlineData("request", "image_embeds", null, "all", "tokens", "tokens must be cls or omitted, not 'all'")]
    [InlineData("world", "image_embeds", null, null, "path", "the image embedding of model 'tiny' has 16 values")]
    [InlineData("world", "blocks.1.hook_resid_post", 0, null, "layer", "layer 0 contradicts hook 'blocks.1.hook_resid_post'")]
    public async Task ContradictoryHookFieldsAreA400NamingTheField(string sae, string? hook, int? layer, string? tokens, string field, string mentions)
    {
        string path = sae == "world" ? World.SaeFolder : WriteEmbeddingSae(namesHook: sae == "config");
        var response = await Client.PostAsync("/api/saes", new { id = "contradicted", modelId = ModelApiFixture.ModelId, path, hook, layer, tokens });
        await BadArtifactTests.AssertInvalidAsync(response, field, mentions, $"{sae} SAE, hook {hook}, layer {layer}, tokens {tokens}");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/saes/contradicted")).StatusCode);
    }
}
