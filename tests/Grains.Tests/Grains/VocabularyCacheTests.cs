using Actors.GpuHost.Analysis;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Actors.Grains.Tests.Cluster;

namespace Actors.Grains.Tests.Grains;

/// <summary>
/// The host's cache of a vocabulary's concept embeddings (steering, labelling and evaluations read it): it serves
/// what the concept grains hold, in the vocabulary's order, and reads them again after every registration.
/// </summary>
public class VocabularyCacheTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    IGrainFactory Grains => shared.Cluster.Grains;

    async Task RegisterAsync(string vocabulary, string modelId, (string Concept, float[] Embedding)[] concepts)
    {
        foreach (var (concept, embedding) in concepts)
            await Grains.GetGrain<IConceptGrain>($"{vocabulary}/{concept}").RegisterAsync(concept, embedding);
        await Grains.GetGrain<IVocabularyGrain>(vocabulary).RegisterAsync(modelId, [.. concepts.Select(c => c.Concept)]);
    }

    [Fact]
    public async Task AReRegistrationIsReadAgainEvenWithTheSameModelIdAndConcepts()
    {
        string vocabulary = $"v-{Guid.NewGuid():N}";
        var cache = new VocabularyCache(Grains);
        await RegisterAsync(vocabulary, "m", [("duck", [1, 0]), ("water", [0, 1])]);
        var (record, concepts) = await cache.GetAsync(vocabulary, "vocabularyId");
        Assert.Equal(["duck", "water"], concepts.Labels);
        Assert.Equal([1f, 0, 0, 1], concepts.Embeddings);

        // The model id now names other weights: registering again re-embeds the same concepts.
        await RegisterAsync(vocabulary, "m", [("duck", [0.6f, 0.8f]), ("water", [0.8f, 0.6f])]);
        var (again, reread) = await cache.GetAsync(vocabulary, "vocabularyId");
        Assert.Equal(record.Registration + 1, again.Registration);
        Assert.Equal([0.6f, 0.8f, 0.8f, 0.6f], reread.Embeddings);
        Assert.Same(reread, (await cache.GetAsync(vocabulary, "vocabularyId")).Concepts);   // unchanged since: served from the cache
    }

    [Fact]
    public async Task AnUnknownVocabularyNamesTheField()
    {
        var e = await Assert.ThrowsAsync<InvalidArtifactException>(() => new VocabularyCache(Grains).GetAsync("nope", "vocabularyId"));
        Assert.Equal("vocabularyId", e.Field);
        Assert.Contains("no vocabulary 'nope'", e.Message);
    }
}
