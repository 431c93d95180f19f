using System.Collections.Concurrent;
using Actors.GpuHost.Ingestion;

namespace Actors.GpuHost.Tests.Ingestion;

public class BatchPrefetchTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EachBatchArrivesInOrderWithItsOwnLoadWhileTheNextIsLoadedBehindTheCaller()
    {
        long[] batches = [3, 4, 7, 8, 9, 12];
        var asked = new ConcurrentQueue<long>();
        var started = batches.ToDictionary(b => b, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Task<string> Load(long batch, CancellationToken ct)
        {
            asked.Enqueue(batch);
            started[batch].SetResult();
            return Task.FromResult($"images of batch {batch}");
        }

        var seen = new List<(long, string)>();
        int i = 0;
        await foreach (var (batch, loaded) in BatchPrefetch.InOrder(batches, Load))
        {
            seen.Add((batch, loaded));
            // The caller is still on this batch and the next one's load has begun: loading overlaps the caller's work.
            if (++i < batches.Length) await started[batches[i]].Task.WaitAsync(Patience);
        }
        Assert.Equal(batches.Select(b => (b, $"images of batch {b}")), seen);
        Assert.Equal(batches, asked.ToArray());
    }

    [Fact]
    public async Task ACallerStoppingEarlyCancelsAndAwaitsThePendingLoadAndKeepsItsOwnException()
    {
        var pendingCancelled = new TaskCompletionSource<bool>();
        async Task<int> Load(long batch, CancellationToken ct)
        {
            if (batch == 0) return 0;
            try { await Task.Delay(Timeout.Infinite, ct); return 1; }
            catch (OperationCanceledException) { pendingCancelled.SetResult(true); throw; }
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in BatchPrefetch.InOrder([0L, 1L], Load)) throw new InvalidOperationException("the model failed on batch 0");
        });
        Assert.Equal("the model failed on batch 0", error.Message);
        Assert.True(pendingCancelled.Task.IsCompleted, "the pending load was neither cancelled nor awaited");
    }

    [Fact]
    public async Task CancellationStopsTheRunBeforeTheNextBatch()
    {
        using var cancel = new CancellationTokenSource();
        var seen = new List<long>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var (batch, _) in BatchPrefetch.InOrder([0L, 1L, 2L], (b, ct) => Task.FromResult(b), cancel.Token))
            {
                seen.Add(batch);
                cancel.Cancel();
            }
        });
        Assert.Equal([0L], seen);
    }
}
