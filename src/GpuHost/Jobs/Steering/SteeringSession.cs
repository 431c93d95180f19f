using System.Runtime.CompilerServices;
using Actors.Analysis.Steering;
using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// One registered SAE's <see cref="SteeringModel"/> (its steered forward and a vocabulary) with the corpus images to run
/// through it. Not thread-safe (one vision tower's buffers): one session per query or job.
/// </summary>
public sealed class SteeringSession(AnalysisTarget target, SteeringModel model, ImageBatchLoader loader)
{
    /// <summary>Images per forward pass.</summary>
    public const int Batch = 16;

    public AnalysisTarget Target => target;
    public SteeringModel Model => model;
    public VocabularyDistribution Vocabulary => model.Vocabulary;
    public int LatentCount => model.LatentCount;

    /// <summary>Decoded and preprocessed images of a corpus (thumbnails go to the blob store as ingestion's do); failures are listed, not thrown.</summary>
    public Task<LoadedImages> LoadAsync(string corpusId, IReadOnlyList<CorpusItem> items, CancellationToken ct) =>
        loader.LoadAsync(corpusId, items, target.Model.Preprocessor, ct);

    /// <summary>The corpus items at <paramref name="indices"/>, loaded <see cref="Batch"/> at a time; unreadable ones are left out.</summary>
    public async IAsyncEnumerable<LoadedImages> BatchesAsync(CorpusEntries corpus, IReadOnlyList<int> indices,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var chunk in indices.Chunk(Batch))
        {
            var loaded = await LoadAsync(corpus.CorpusId, chunk.Select(i => corpus.Items[i]).ToArray(), ct);
            if (loaded.Count > 0) yield return loaded;
        }
    }

    /// <summary>P over the vocabulary, (n, |V|), of CLIP as it is.</summary>
    public float[] Before(float[] pixels, int n) => model.Before(pixels, n);

    /// <summary>P̃ over the vocabulary, (n, |V|), with the splice at the SAE's hook.</summary>
    public float[] After(float[] pixels, int n, SteeringSplice splice) => model.After(pixels, n, splice);

    /// <summary>Mean image-level activation E_x[f_j(x)] over the given corpus items (seed 001 Eq. 9's expectations) and how many images it averaged.</summary>
    public async Task<(double[] Means, int Images)> MeanActivationsAsync(CorpusEntries corpus, IReadOnlyList<int> indices, CancellationToken ct)
    {
        var means = new MeanImageActivations(model.Forward);
        await foreach (var batch in BatchesAsync(corpus, indices, ct)) means.Add(batch.Pixels, batch.Count);
        if (means.Images == 0) throw new InvalidDataException($"corpus '{corpus.CorpusId}': none of its images could be read");
        return (means.Means(), means.Images);
    }
}
