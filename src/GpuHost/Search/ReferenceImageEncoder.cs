using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Vision.Clip;
using Orleans;

namespace Actors.GpuHost.Search;

/// <summary>
/// CLIP image embeddings (not normalised, as x̄_j averages them) of reference images, read from their originals: the
/// image's corpus source lists where each image id lives (<see cref="CorpusReader"/>), <see cref="ImageBatchLoader"/>
/// decodes and preprocesses it with the model's own preprocessor (storing its thumbnail again, an idempotent put of the
/// same bytes), and a vision tower of this call's own encodes it. Originals rather than the stored thumbnails: a
/// thumbnail may be smaller than the model's input (24 px in tests), and seed 000 averages embeddings of the images.
/// </summary>
public sealed class ReferenceImageEncoder(IGrainFactory grains, ImageBatchLoader loader)
{
    const int Batch = 32;

    /// <summary>Embeddings of the images that could be read, and how many could not (a corpus or file gone, a decode error).</summary>
    public async Task<(Dictionary<ImageRef, float[]> Embeddings, int Unreadable)> EmbedAsync(LoadedModel model, IReadOnlyCollection<ImageRef> images,
        CancellationToken ct)
    {
        // ClipVisionModel reuses its buffers (not thread-safe) and ingestion may be running the catalog's; on the CPU
        // backend this one wraps the same weight arrays.
        var vision = model.NewVision();
        var embeddings = new Dictionary<ImageRef, float[]>();
        int unreadable = 0;
        foreach (var corpus in images.GroupBy(i => i.CorpusId, StringComparer.Ordinal))
        {
            var items = await ItemsAsync(corpus.Key);
            var readable = corpus.Where(i => items.ContainsKey(i.ImageId)).ToArray();
            unreadable += corpus.Count() - readable.Length;
            foreach (var chunk in readable.Chunk(Batch))
            {
                var loaded = await loader.LoadAsync(corpus.Key, chunk.Select(i => items[i.ImageId]).ToArray(), model.Preprocessor, ct);
                unreadable += loaded.Failures.Length;
                if (loaded.Count == 0) continue;
                var rows = await Task.Run(() => vision.Encode(loaded.Pixels, loaded.Count), ct);
                var byId = chunk.ToDictionary(i => i.ImageId, StringComparer.Ordinal);
                int dim = vision.ProjectionDim;
                for (int k = 0; k < loaded.Count; k++) embeddings[byId[loaded.Images[k].ImageId]] = rows.AsSpan(k * dim, dim).ToArray();
            }
        }
        return (embeddings, unreadable);
    }

    /// <summary>The corpus's items by image id; none when the corpus is unregistered or its source cannot be listed any more.</summary>
    async Task<Dictionary<string, CorpusItem>> ItemsAsync(string corpusId)
    {
        var source = (await grains.GetGrain<ICorpusGrain>(corpusId).GetAsync()).Source;
        if (source is null) return [];
        try { return CorpusReader.Read(source).ToDictionary(i => i.ImageId, StringComparer.Ordinal); }
        catch (ArtifactLoadException) { return []; }
    }
}
