using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>
/// Two groups taking turns: a checkpoint hands its group to a delivery that goes on while the next batches are
/// sketched into the other group; deliveries run one at a time, in corpus order, each with exactly its own batches;
/// a failed delivery stops the run at the next batch.
/// </summary>
public class OverlappedDeliveryTests
{
    /// <summary>A delivery that records what it was given and ends only when the test lets it.</summary>
    sealed class HeldDeliveries
    {
        public readonly List<(long First, int Count, long[] Recorded)> Started = [];
        public readonly List<TaskCompletionSource> Gates = [];

        public async Task DeliverAsync(DeliveryGroup group, List<CompletedBatch> batches)
        {
            Started.Add((group.NextBatchId - group.BatchCount, group.BatchCount, [.. batches.Select(b => b.BatchId)]));
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Gates.Add(gate);
            await gate.Task;
        }
    }

    static OverlappedDelivery Turns(HeldDeliveries held) => new(() => new DeliveryGroup("sae", "corpus", null), held.DeliverAsync);

    /// <summary>A checkpoint returns once its delivery has started, not when it ends (awaited with a limit, so a regression fails instead of hanging).</summary>
    static async Task ReturnsDuringItsDeliveryAsync(Task checkpoint)
    {
        await Task.WhenAny(checkpoint, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(checkpoint.IsCompleted, "the checkpoint waited for its own delivery: the model stage would stand idle meanwhile");
        await checkpoint;
    }

    static void Sketch(OverlappedDelivery turns, long batch)
    {
        turns.Group.Add(batch, SketchedBatch.Empty);
        turns.Pending.Add(new CompletedBatch(batch, 0, [], new IngestionStages(0, 0, 0, 0, 0, 0)));
    }

    [Fact]
    public async Task TheNextBatchesGoIntoTheOtherGroupWhileTheFirstIsDelivered()
    {
        var held = new HeldDeliveries();
        var turns = Turns(held);
        Sketch(turns, 0); Sketch(turns, 1);
        var first = turns.Group;

        await ReturnsDuringItsDeliveryAsync(turns.CheckpointAsync());
        Assert.True(turns.Delivering);
        Assert.Equal([(0L, 2, new long[] { 0, 1 })], held.Started.Select(s => (s.First, s.Count, s.Recorded)).ToList(), new StartedComparer());
        Assert.NotSame(first, turns.Group);
        Assert.Equal(0, turns.Group.BatchCount);
        Assert.Empty(turns.Pending);
        Sketch(turns, 2); Sketch(turns, 3);
        Assert.Equal((2, 2L), (first.BatchCount, first.NextBatchId));   // the group in delivery is not touched
        Assert.Equal((2, 4L), (turns.Group.BatchCount, turns.Group.NextBatchId));
        Assert.Equal([2L, 3L], turns.Pending.Select(b => b.BatchId));
        held.Gates[0].SetResult();
        await turns.DrainAsync();
    }

    [Fact]
    public async Task ACheckpointWaitsForTheDeliveryBeforeItAndDeliveriesKeepCorpusOrder()
    {
        var held = new HeldDeliveries();
        var turns = Turns(held);
        Sketch(turns, 0);
        await ReturnsDuringItsDeliveryAsync(turns.CheckpointAsync());
        Sketch(turns, 1); Sketch(turns, 2);

        var second = turns.CheckpointAsync();
        await Task.Delay(50);
        Assert.False(second.IsCompleted, "the second delivery started while the first was still in flight");
        Assert.Single(held.Started);

        held.Gates[0].SetResult();
        await second;
        Assert.Equal(2, held.Started.Count);
        Assert.Equal((1L, 2, new long[] { 1, 2 }), (held.Started[1].First, held.Started[1].Count, held.Started[1].Recorded), new StartedComparer());
        held.Gates[1].SetResult();
        await turns.DrainAsync();
        Assert.False(turns.Delivering);
    }

    [Fact]
    public async Task ACheckpointWithNoBatchesDeliversNothing()
    {
        var held = new HeldDeliveries();
        var turns = Turns(held);
        await turns.CheckpointAsync();
        Assert.Empty(held.Started);
        Assert.False(turns.Delivering);
    }

    [Fact]
    public async Task AFailedDeliveryStopsTheRunAtTheNextBatch()
    {
        var failing = new OverlappedDelivery(() => new DeliveryGroup("sae", "corpus", null),
            async (_, _) => { await Task.Yield(); throw new InvalidOperationException("latent 7: storage refused the write"); });
        Sketch(failing, 0);
        await failing.CheckpointAsync();
        await Task.Delay(50);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(failing.ThrowIfFailedAsync);
        Assert.Contains("latent 7", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(failing.CheckpointAsync);
        await Assert.ThrowsAsync<InvalidOperationException>(failing.DrainAsync);
    }

    sealed class StartedComparer : IEqualityComparer<(long, int, long[])>
    {
        public bool Equals((long, int, long[]) a, (long, int, long[]) b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3);
        public int GetHashCode((long, int, long[]) v) => HashCode.Combine(v.Item1, v.Item2);
    }
}
