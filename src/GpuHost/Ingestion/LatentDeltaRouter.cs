using Actors.Grains.Concepts;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Delivers one sketched batch to the grains: the batch totals to the SAE grain first (so frequencies never
/// exceed 1), then each touched latent's delta, then class activations to concept grains "{vocabulary}/{label}".
/// Every step is idempotent per batch id, so re-sending a whole batch after a crash is safe, and so is retrying a
/// call that failed in transit (<see cref="GrainRetry"/>).
/// </summary>
public static class LatentDeltaRouter
{
    public static async Task DeliverAsync(IGrainFactory grains, LatentDeltaBatch message)
    {
        await GrainRetry.CallAsync(() => grains.GetGrain<ISaeGrain>(message.SaeId)
            .MergeTotalsAsync(message.CorpusId, message.BatchId, message.DurableThrough, message.Totals));
        var merges = new Task[message.Deltas.Length];
        for (int i = 0; i < merges.Length; i++)
        {
            var entry = message.Deltas[i];
            var latent = grains.GetGrain<ILatentGrain>(LatentKey.Of(message.SaeId, entry.LatentIndex));
            merges[i] = GrainRetry.CallAsync(() => latent.MergeAsync(entry.Delta));
        }
        await Task.WhenAll(merges);
    }

    public static async Task DeliverClassesAsync(IGrainFactory grains, string vocabulary, string saeId, string corpusId,
        long batchId, SketchedBatch batch)
    {
        foreach (var (label, activations) in batch.Classes)
            await GrainRetry.CallAsync(() => grains.GetGrain<IConceptGrain>($"{vocabulary}/{label}")
                .MergeClassActivationsAsync(saeId, corpusId, batchId, activations));
    }
}
