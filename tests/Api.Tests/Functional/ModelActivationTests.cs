using System.Net;
using System.Text;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Concepts;
using Actors.Grains.Registry;
using Actors.Tensors.Kernels;
using Actors.Vision.Clip;
using Actors.Vision.Tokenization;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// A model registration may state the MLP activation (no weight shape tells quick_gelu from gelu): the record keeps
/// it and says where the activation the model runs with came from, every host loads the model with it, and an
/// unknown name is a 400 on "activation".
/// </summary>
public sealed class ModelActivationTests(ModelApiFixture fixture) : IClassFixture<ModelApiFixture>
{
    HttpClient Client => fixture.Client;

    [Fact]
    public async Task AStatedActivationIsStoredShownWithItsSourceAndUsedToEmbedConcepts()
    {
        var inferred = await Client.GetAsync<ModelRecord>($"/api/models/{ModelApiFixture.ModelId}");
        Assert.Null(inferred.Activation);
        Assert.Equal("text quick_gelu, vision quick_gelu, from config.json hidden_act", inferred.ActivationSource);

        var created = await (await Client.PostAsync("/api/models", new { id = "tiny-gelu", path = fixture.World.ModelFolder, activation = "gelu" })).ReadAsync<ModelRecord>();
        var stated = await Client.GetAsync<ModelRecord>("/api/models/tiny-gelu");
        Assert.Equal(created, stated);
        Assert.Equal(("gelu", "gelu, stated by the caller"), (stated.Activation, stated.ActivationSource));
        Assert.Equal(inferred with { Activation = "gelu", ActivationSource = stated.ActivationSource }, stated);

        // The same files under each activation embed a concept as the text tower with that activation does.
        foreach (var (model, activation) in new[] { (ModelApiFixture.ModelId, ActivationKind.QuickGelu), ("tiny-gelu", ActivationKind.Gelu) })
        {
            var put = await Client.PutAsync($"/api/vocabularies/{model}-colours?modelId={model}", new StringContent("red", Encoding.UTF8, "text/plain"));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            var stored = (await Client.GetAsync<ConceptView>($"/api/vocabularies/{model}-colours/concepts/red")).Embedding;
            var clip = ClipModel.Load(fixture.World.ModelFolder, activation: activation);
            var expected = ZeroShotClassifier.Create(clip, ClipTokenizer.FromDirectory(fixture.World.ModelFolder), ["red"]).ClassEmbeddings;
            Assert.Equal(expected, stored);
        }
        var quick = (await Client.GetAsync<ConceptView>($"/api/vocabularies/{ModelApiFixture.ModelId}-colours/concepts/red")).Embedding;
        var gelu = (await Client.GetAsync<ConceptView>("/api/vocabularies/tiny-gelu-colours/concepts/red")).Embedding;
        Assert.NotEqual(quick, gelu);
    }

    [Fact]
    public async Task AnUnknownActivationIsA400OnActivation()
    {
        var response = await Client.PostAsync("/api/models", new { id = "tiny-swish", path = fixture.World.ModelFolder, activation = "swish" });
        await BadArtifactTests.AssertInvalidAsync(response, "activation", "'swish'", "activation swish");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/tiny-swish")).StatusCode);
    }
}
