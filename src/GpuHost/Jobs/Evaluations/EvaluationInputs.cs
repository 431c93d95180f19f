using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Tensors;
using Actors.Vision.Imaging;
using Orleans;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// What an evaluation job reads from the registry: the SAE with its model (through the host's catalogs), a vocabulary's
/// concept embeddings as class prompts, and a corpus's labelled images — then encodes them off the caller's thread,
/// reporting progress. A missing or inconsistent input is an <see cref="ArgumentException"/> naming it (the job fails
/// with that message; the API checks the same things before it queues a job).
/// </summary>
public sealed class EvaluationInputs(IGrainFactory grains, ModelCatalog models, SaeCatalog saes, ConceptEncoder concepts, VocabularyCache vocabularies)
{
    static readonly HttpClient Http = new();

    public async Task<(EvaluationModel Model, AnalysisTarget Target)> ModelAsync(string saeId)
    {
        var target = await AnalysisTarget.LoadAsync(grains, models, saes, saeId);
        return (EvaluationModel.Of(target), target);
    }

    /// <summary>The vocabulary's concepts as class prompts, in its order; it must have been embedded by <paramref name="modelId"/>.</summary>
    public async Task<ClassPrompts> PromptsAsync(string vocabularyId, string modelId)
    {
        var (vocabulary, embedded) = await vocabularies.GetAsync(vocabularyId, "vocabularyId");
        if (vocabulary.ModelId != modelId)
            throw new ArgumentException($"vocabularyId: '{vocabularyId}' was embedded by model '{vocabulary.ModelId}', the SAE reads model '{modelId}'");
        return new ClassPrompts(vocabulary.Concepts, [.. Enumerable.Range(0, embedded.Count).Select(i => embedded.Embedding(i).ToArray())]);
    }

    /// <summary>
    /// t_empty of seed 000 Eq. 2 for class prompts that are concept embeddings: the empty label in the concept template
    /// ("a photo of a ."), so that s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty) cancels what the template adds to every label.
    /// </summary>
    public float[] EmptyPrompt(LoadedModel model) => EmptyConcept(concepts, model);

    public static float[] EmptyConcept(ConceptEncoder concepts, LoadedModel model) => concepts.Embed(model, [""])[0];

    /// <summary>Seed 000 App. D.2's templated prober of <paramref name="label"/> (<see cref="TemplatedPrompts"/>).</summary>
    public float[] TemplatedPrompt(LoadedModel model, string label) => TemplatedPrompts.Embed(concepts, model, label);

    /// <summary>
    /// The corpus's labelled images whose label <paramref name="keep"/> accepts, in corpus order; at most
    /// <paramref name="maxImages"/>, drawn without replacement by a SplitMix64 shuffle seeded by <paramref name="seed"/>.
    /// </summary>
    public async Task<IReadOnlyList<EvaluationImage>> ImagesAsync(string corpusId, Func<string, bool> keep, int maxImages, ulong seed)
    {
        var source = (await grains.GetGrain<ICorpusGrain>(corpusId).GetAsync()).Source
            ?? throw new ArgumentException($"corpusId: no corpus '{corpusId}' is registered");
        var items = CorpusReader.Read(source).Where(i => i.Label is { } label && keep(label)).ToList();
        return Draw(items, maxImages, seed).Select(i => new EvaluationImage(i.ImageId, i.Label!, () => Load(i.Location))).ToList();
    }

    /// <summary>
    /// Seed 000 App. B.2 "Deletion (random)": at most <paramref name="count"/> of the corpus's labelled images, any class,
    /// drawn without replacement. The draw's seed is derived from <paramref name="seed"/> so that it is not the draw of
    /// the evaluation images themselves (the same shuffle of the same corpus would hand back those images).
    /// </summary>
    public Task<IReadOnlyList<EvaluationImage>> RandomReferencesAsync(string corpusId, int count, ulong seed) =>
        ImagesAsync(corpusId, _ => true, count, RandomReferenceSeed(seed));

    /// <summary>The seed of the random reference images' draw for an evaluation seeded <paramref name="seed"/>.</summary>
    public static ulong RandomReferenceSeed(ulong seed) => SplitMix64.Derive(seed, 0x72616e646f6d);   // "random"

    /// <summary>At most <paramref name="count"/> of the items, a seeded draw, kept in their original order.</summary>
    public static IReadOnlyList<T> Draw<T>(IReadOnlyList<T> items, int count, ulong seed)
    {
        if (items.Count <= count) return items;
        var picks = Enumerable.Range(0, items.Count).ToList();
        new SplitMix64(seed).Shuffle(picks);
        return picks.Take(count).Order().Select(i => items[i]).ToList();
    }

    /// <summary>Encodes on the thread pool, reporting (done, total) under <paramref name="stage"/>.</summary>
    public static Task<EncodedSamples> EncodeAsync(EvaluationModel model, IReadOnlyList<EvaluationImage> images, JobContext context,
        string stage, CancellationToken cancellationToken) =>
        Task.Run(() => EncodedSamples.Encode(model, images, (done, total) => context.Report(done, total, stage), cancellationToken), cancellationToken);

    /// <summary>
    /// <paramref name="images"/> encoded, in their order, taking those <paramref name="encoded"/> already holds (by image
    /// id) from it and encoding only the rest; unreadable images are left out.
    /// </summary>
    public static async Task<EncodedSamples> EncodeReusingAsync(EvaluationModel model, IReadOnlyList<EvaluationImage> images, EncodedSamples encoded,
        JobContext context, string stage, CancellationToken cancellationToken)
    {
        var known = encoded.ImageIds.ToHashSet(StringComparer.Ordinal);
        var fresh = await EncodeAsync(model, [.. images.Where(i => !known.Contains(i.ImageId))], context, stage, cancellationToken);
        var both = EncodedSamples.Concat(encoded, fresh);
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < both.Count; i++) at.TryAdd(both.ImageIds[i], i);
        return both.Subset(images.Where(i => at.ContainsKey(i.ImageId)).Select(i => at[i.ImageId]));
    }

    static RgbImage Load(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? ImageCodec.Decode(Http.GetByteArrayAsync(uri).GetAwaiter().GetResult(), location)
            : ImageCodec.Decode(location);
}
