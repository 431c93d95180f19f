using Actors.Analysis.Alignment;
using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Evaluations;
using Actors.Grains.Blobs;
using Actors.Grains.Concepts;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Orleans;

namespace Actors.GpuHost.Jobs.Labelling;

/// <summary>
/// Runs job "latent-labels" (<see cref="LatentLabellingParameters"/>): for every latent of the SAE that has reference
/// images, embeds them with the vocabulary's model (each distinct image once), labels it by semantic alignment
/// (seed 000 Eq. 2) with the images' clarity, scores it by Logit Lens (Eq. 3) when the vocabulary shares the SAE's model,
/// and stores both on the latent (which lists its label, alignment and clarity in the latent index); then gives each
/// concept its best-aligned latents of this SAE (other SAEs' entries kept). Reruns from the start if interrupted: every
/// write replaces what it wrote before.
/// </summary>
public sealed class LatentLabellingHandler(IGrainFactory grains, ModelCatalog models, SaeCatalog saes, ConceptEncoder conceptEncoder, VocabularyCache vocabularies,
    CorpusImages corpora, IBlobStore blobs) : IJobHandler
{
    const int Chunk = 256, Concurrency = 32;

    public string Kind => LatentLabellingJobs.Kind;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var p = context.Parameters<LatentLabellingParameters>();
        if (string.IsNullOrWhiteSpace(p.SaeId) || string.IsNullOrWhiteSpace(p.VocabularyId))
            throw new ArgumentException($"job '{context.JobId}': saeId and vocabularyId are required");
        var target = await AnalysisTarget.LoadAsync(grains, models, saes, p.SaeId);
        var (vocabulary, concepts) = await vocabularies.GetAsync(p.VocabularyId, "vocabularyId");
        var labellingModel = await grains.GetGrain<IModelGrain>(vocabulary.ModelId).GetAsync()
            ?? throw new ArgumentException($"model '{vocabulary.ModelId}' of vocabulary '{p.VocabularyId}' is not registered");
        var labeller = models.Load(labellingModel);   // with the activation the model was registered with
        // t_empty of Eq. 2 in the concepts' own template ("a photo of a ."), as failure detection and search embed it:
        // the subtraction then cancels what the template adds to every concept, and alignments agree across them.
        var emptyPrompt = EvaluationInputs.EmptyConcept(conceptEncoder, labeller);

        context.Report(0, 0, "reading reference images");
        var latents = await ReferencesAsync(p.SaeId);
        var embeddings = new ReferenceEmbeddings(corpora, blobs, labeller);
        await embeddings.EmbedAsync(latents.SelectMany(l => l.Images), (done, total) => context.Report(done, total, "embedding reference images"), ct);

        bool sameSpace = vocabulary.ModelId == target.Record.ModelId;
        var lens = sameSpace ? new LogitLens(target.Hook, target.Autoencoder, target.Model.Weights.Vision, target.Model.Weights.Config.Vision.LayerNormEps) : null;
        var labelling = new LatentLabeller(new ConceptCosines(concepts), emptyPrompt, lens, p);
        var readable = latents.Select(l => Gather(l.Latent, l.Images, embeddings)).OfType<LatentLabeller.References>().ToList();
        int done = 0;
        foreach (var chunk in readable.Chunk(Chunk))
        {
            ct.ThrowIfCancellationRequested();
            var results = labelling.Label(chunk);
            await ForEachAsync(chunk.Zip(results), async pair =>
            {
                var latent = grains.GetGrain<ILatentGrain>(LatentKey.Of(p.SaeId, pair.First.Latent));
                await latent.SetSemanticLabelsAsync(pair.Second.Labels);
                if (pair.Second.Lens is { } scores) await latent.SetLogitLensAsync(scores);
            });
            context.Report(done += chunk.Length, readable.Count, "labelling latents");
        }
        int aligned = await StoreAlignedLatentsAsync(p, concepts, labelling.Ranking);
        var result = new LatentLabellingResult(p.SaeId, p.VocabularyId, vocabulary.ModelId, latents.Count, readable.Count, embeddings.Embedded,
            embeddings.FromThumbnails, embeddings.Unreadable, sameSpace,
            sameSpace ? null : $"Logit Lens not computed: vocabulary '{p.VocabularyId}' is embedded by model '{vocabulary.ModelId}', the SAE's output space is model '{target.Record.ModelId}''s",
            aligned);
        return new JobOutcome(JobContext.ToJson(result));
    }

    /// <summary>Every listed latent's reference images (the index lists the latents that fired), in latent order.</summary>
    async Task<List<(int Latent, ImageRef[] Images)>> ReferencesAsync(string saeId)
    {
        var parts = await Task.WhenAll(Enumerable.Range(0, ILatentIndexGrain.Partitions)
            .Select(part => grains.GetGrain<ILatentIndexGrain>($"{saeId}/{part}").ListAsync()));
        var ids = parts.SelectMany(s => s).Where(s => s.FiringTokens > 0).Select(s => s.Latent).Order().ToArray();
        var found = new (int, ImageRef[])[ids.Length];
        await ForEachAsync(ids.Select((latent, i) => (latent, i)), async e =>
        {
            var view = await grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, e.latent)).GetAsync();
            found[e.i] = (e.latent, [.. view.References.Select(r => r.Image)]);
        });
        return [.. found.Where(f => f.Item2.Length > 0)];
    }

    static LatentLabeller.References? Gather(int latent, ImageRef[] images, ReferenceEmbeddings embeddings)
    {
        var rows = images.Select(embeddings.Of).OfType<float[]>().ToList();
        return rows.Count == 0 ? null : new LatentLabeller.References(latent, [.. rows.SelectMany(r => r)], rows.Count);
    }

    /// <summary>Each concept's latents of this SAE become its ranking's; other SAEs' stay. Returns the concepts with some.</summary>
    async Task<int> StoreAlignedLatentsAsync(LatentLabellingParameters p, ConceptSet concepts, AlignedLatentRanking ranking)
    {
        int withLatents = 0;
        await ForEachAsync(Enumerable.Range(0, concepts.Count), async c =>
        {
            var concept = grains.GetGrain<IConceptGrain>($"{p.VocabularyId}/{concepts.Labels[c]}");
            var current = (await concept.GetAsync()).AlignedLatents;
            var mine = ranking.Of(c).Select(e => new AlignedLatent(p.SaeId, e.Latent, e.Score)).ToArray();
            if (mine.Length > 0) Interlocked.Increment(ref withLatents);
            if (mine.Length == 0 && current.All(a => a.SaeId != p.SaeId)) return;
            await concept.SetAlignedLatentsAsync([.. current.Where(a => a.SaeId != p.SaeId), .. mine]);
        });
        return withLatents;
    }

    static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body)
    {
        foreach (var batch in items.Chunk(Concurrency)) await Task.WhenAll(batch.Select(body));
    }
}
