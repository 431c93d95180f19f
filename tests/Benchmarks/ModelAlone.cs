using System.Diagnostics;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Sae.Architectures;

namespace Actors.Benchmarks;

/// <summary>
/// Ingestion's model stage alone, the bound its rate is held to (model_ratio): the CLIP forward to the SAE's hook and
/// the SAE encode with ingestion's own calls (IngestionJob.HookOf, SaeHookSpec.Read, SparseAutoencoder.Encode,
/// IngestionJob.Positive), on the first batches of the corpus preprocessed as ingestion loads them (ImageBatchLoader)
/// and held in memory: no decoding, sketching or delivery is timed. The first pass warms up (JIT, buffers).
/// </summary>
public sealed class ModelAlone
{
    readonly LoadedModel model;
    readonly SparseAutoencoder sae;
    readonly Actors.Sae.SaeHookSpec hook;
    readonly List<LoadedImages> batches;

    ModelAlone(LoadedModel model, SparseAutoencoder sae, SaeRecord record, List<LoadedImages> batches)
    {
        this.model = model; this.sae = sae; this.batches = batches;
        hook = IngestionJob.HookOf(record);
    }

    /// <param name="batchCount">batches of <paramref name="batchSize"/> images from the start of the corpus</param>
    public static ModelAlone Load(LoadedModel model, SparseAutoencoder sae, SaeRecord record, ImageBatchLoader loader,
        CorpusSource corpus, int batchSize, int batchCount)
    {
        var items = CorpusReader.Read(corpus);
        var batches = Enumerable.Range(0, Math.Min(batchCount, (items.Count + batchSize - 1) / batchSize))
            .Select(b => loader.LoadAsync("model-alone", items.Skip(b * batchSize).Take(batchSize).ToArray(), model.Preprocessor, default)
                .GetAwaiter().GetResult())
            .ToList();
        var alone = new ModelAlone(model, sae, record, batches);
        alone.Pass();
        return alone;
    }

    public int Images => batches.Sum(b => b.Count);

    /// <summary>Images/s of one pass over the batches.</summary>
    public double ImagesPerSecond()
    {
        var clock = Stopwatch.StartNew();
        Pass();
        return Images / clock.Elapsed.TotalSeconds;
    }

    void Pass()
    {
        int perImage = hook.RowsPerSequence(model.Model.Config.Vision.Tokens);
        foreach (var batch in batches)
        {
            var rows = hook.Read(model.Model.Vision, batch.Pixels, batch.Count);
            GC.KeepAlive(IngestionJob.Positive(sae.Encode(rows, batch.Count * perImage)));
        }
    }
}
