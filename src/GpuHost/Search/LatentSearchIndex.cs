using System.Collections.Concurrent;
using Actors.Analysis.Alignment;
using Actors.Analysis.Gradients;
using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Blobs;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Orleans;

namespace Actors.GpuHost.Search;

/// <summary>
/// Free-text search over an SAE's latents: seed 000 Eq. 2 turned into a query, s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty),
/// with x̄_j the mean CLIP image embedding of latent j's reference images and t the query embedded by the same model's
/// text tower (its concept template, as vocabularies are). The reference sets are re-read only for latents whose index
/// summary changed (<see cref="ReferenceSets"/>), and the means are kept in memory per SAE with the model and the sets'
/// version: a search whose SAE's sets did not change since reuses them; otherwise only images not
/// embedded before are embedded. One computation per SAE at a time.
/// </summary>
public sealed class LatentSearchIndex(IGrainFactory grains, ModelCatalog models, ConceptEncoder encoder, CorpusImages corpora, IBlobStore blobs)
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> computing = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, LatentMeans> cache = new(StringComparer.Ordinal);
    readonly ReferenceSets references = new();

    public async Task<LatentSearchResult> SearchAsync(string saeId, string text, int top, CancellationToken ct)
    {
        var record = (await grains.GetGrain<ISaeGrain>(saeId).GetAsync()).Record
            ?? throw new InvalidArtifactException("saeId", $"no SAE '{saeId}' is registered");
        var modelRecord = await grains.GetGrain<IModelGrain>(record.ModelId).GetAsync()
            ?? throw new InvalidArtifactException("saeId", $"model '{record.ModelId}' of SAE '{saeId}' is not registered");
        LoadedModel model;
        try { model = models.Load(modelRecord); }
        catch (ArtifactLoadException e) { throw new InvalidArtifactException("saeId", e.Message); }

        var means = await MeansAsync(saeId, model, await ReferenceSetsAsync(saeId), ct);
        var texts = encoder.Embed(model, [text, ""]);
        int dim = texts[0].Length;
        var query = new ConceptSet([text], texts[0], dim);
        var hits = new LatentSearchHit[means.Latents.Length];
        for (int i = 0; i < hits.Length; i++)
            hits[i] = new LatentSearchHit(means.Latents[i], SemanticAlignment.Scores(means.Means[i], query, texts[1])[0],
                ImageTextScore.Cosine(means.Means[i], texts[0]), means.Counts[i]);
        var best = hits.OrderByDescending(h => h.Alignment).ThenBy(h => h.Latent).Take(top).ToArray();
        return new LatentSearchResult(saeId, text, record.ModelId, means.Latents.Length, means.ImageEmbeddings.Count, means.Unreadable, best);
    }

    /// <summary>Every latent with reference images, and those images, in latent order (views read only where the index says a latent changed).</summary>
    async Task<ReferenceSnapshot> ReferenceSetsAsync(string saeId)
    {
        var parts = await Task.WhenAll(Enumerable.Range(0, ILatentIndexGrain.Partitions)
            .Select(p => grains.GetGrain<ILatentIndexGrain>($"{saeId}/{p}").ListAsync()));
        return await references.CurrentAsync(saeId, parts.SelectMany(p => p), async latents =>
        {
            var views = await Task.WhenAll(latents.Select(j => grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, j)).GetAsync()));
            return [.. views.Select(v => (v.Latent, v.References.Select(r => r.Image).ToArray()))];
        });
    }

    async Task<LatentMeans> MeansAsync(string saeId, LoadedModel model, ReferenceSnapshot snapshot, CancellationToken ct)
    {
        var sets = snapshot.Sets;
        if (cache.TryGetValue(saeId, out var kept) && kept.Holds(model.Path, snapshot.Version)) return kept;
        var gate = computing.GetOrAdd(saeId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (cache.TryGetValue(saeId, out kept) && kept.Holds(model.Path, snapshot.Version)) return kept;
            var previous = kept is not null && kept.ModelPath == model.Path ? kept.ImageEmbeddings : new Dictionary<ImageRef, float[]>();
            var distinct = sets.SelectMany(s => s.Images).Distinct().ToArray();
            // The images' x as labelling reads them (originals, else their thumbnails), so x̄_j here is the x̄_j of the latent's labels.
            var pending = distinct.Where(i => !previous.ContainsKey(i)).ToArray();
            var reader = new ReferenceEmbeddings(corpora, blobs, model);
            await reader.EmbedAsync(pending, (_, _) => { }, ct);
            var fresh = new Dictionary<ImageRef, float[]>();
            foreach (var image in pending) if (reader.Of(image) is { } x) fresh[image] = x;
            int unreadable = reader.Unreadable;
            var embeddings = distinct.Where(i => previous.ContainsKey(i) || fresh.ContainsKey(i))
                .ToDictionary(i => i, i => previous.TryGetValue(i, out var e) ? e : fresh[i]);
            var means = Average(sets, embeddings, model.Model.Config.ProjectionDim);
            var computed = new LatentMeans(snapshot.Version, model.Path, means.Latents, means.Means, means.Counts, embeddings, unreadable);
            cache[saeId] = computed;
            return computed;
        }
        finally { gate.Release(); }
    }

    /// <summary>x̄_j over each latent's readable reference images (seed 000 Sec. 3.2; a plain average, as SemanticAlignment's).</summary>
    static (int[] Latents, float[][] Means, int[] Counts) Average((int Latent, ImageRef[] Images)[] sets, Dictionary<ImageRef, float[]> embeddings, int dim)
    {
        var latents = new List<int>();
        var means = new List<float[]>();
        var counts = new List<int>();
        foreach (var (latent, refs) in sets)
        {
            var rows = refs.Where(embeddings.ContainsKey).Select(i => embeddings[i]).ToArray();
            if (rows.Length == 0) continue;
            latents.Add(latent);
            means.Add(SemanticAlignment.MeanEmbedding(rows.SelectMany(r => r).ToArray(), rows.Length, dim));
            counts.Add(rows.Length);
        }
        return ([.. latents], [.. means], [.. counts]);
    }
}
