using System.Runtime.CompilerServices;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Batches in a fixed order, each loaded while the caller works on the one before, as a data loader's workers do:
/// reading, decoding and preprocessing batch i+1 overlaps the model's work on batch i (otherwise decoding, ≈ 8 % of
/// a CLS-hook ingestion, adds to the model's time). Each load is given its batch id when it is queued, so a load
/// that starts late still loads its own batch. A caller that stops early (break, exception, cancellation) has the
/// pending load cancelled and awaited, never orphaned; the caller's own exception is the one that propagates.
/// </summary>
public static class BatchPrefetch
{
    public static async IAsyncEnumerable<(long Batch, T Loaded)> InOrder<T>(IReadOnlyList<long> batches,
        Func<long, CancellationToken, Task<T>> load, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<T>? next = null;
        try
        {
            for (int i = 0; i < batches.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var loaded = await (next ?? load(batches[i], ct));
                next = i + 1 < batches.Count ? Queue(batches[i + 1]) : null;
                yield return (batches[i], loaded);
            }
        }
        finally
        {
            if (next is not null)
            {
                cancel.Cancel();
                try { await next; } catch { }
            }
        }

        Task<T> Queue(long batch) => Task.Run(() => load(batch, cancel.Token));
    }
}
