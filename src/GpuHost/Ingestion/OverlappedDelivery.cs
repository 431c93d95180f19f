using Actors.Grains.Registry;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Delivery groups that take turns, so that a checkpoint's delivery overlaps the next batches: while one group is
/// delivered and its batches recorded (<paramref name="deliver"/>), the sketch stage sketches into a new one, and the
/// model stage, which would otherwise stop <c>ModelledAhead</c> batches later, goes on. Without the overlap a host's
/// model stood idle for each delivery's length (on a 49,152-latent SAE, a call and a write per latent). Deliveries run
/// one at a time and in corpus order: a checkpoint first waits for the delivery before it, so each names the batches
/// made durable before it, and a batch is recorded complete only once its own group is delivered — the crash guarantees
/// of a one-stage loop. The host holds at most two merged sketches per latent. Not thread-safe: the sketch stage alone
/// calls it.
/// </summary>
public sealed class OverlappedDelivery(Func<DeliveryGroup> newGroup, Func<DeliveryGroup, List<CompletedBatch>, Task> deliver)
{
    Task inFlight = Task.CompletedTask;

    /// <summary>The group the next batch is sketched into.</summary>
    public DeliveryGroup Group { get; private set; } = newGroup();

    /// <summary>The batches sketched into <see cref="Group"/>, recorded complete once it is delivered.</summary>
    public List<CompletedBatch> Pending { get; private set; } = [];

    /// <summary>Whether a delivery has started and not yet ended.</summary>
    public bool Delivering => !inFlight.IsCompleted;

    /// <summary>Throws the error of a delivery that failed, so the run stops at the next batch rather than at the next checkpoint.</summary>
    public Task ThrowIfFailedAsync() => inFlight.IsCompleted ? inFlight : Task.CompletedTask;

    /// <summary>Waits for the delivery in flight, then starts delivering <see cref="Group"/> and gathers the next batches in a new one.</summary>
    public async Task CheckpointAsync()
    {
        await inFlight;
        if (Group.BatchCount == 0) return;
        var (group, batches) = (Group, Pending);
        Group = newGroup();
        Pending = [];
        inFlight = deliver(group, batches);
    }

    /// <summary>Waits for the delivery in flight (rethrowing its error).</summary>
    public Task DrainAsync() => inFlight;
}
