using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Latents;

/// <summary>
/// A partition of an SAE's latent index. Ingestion's bulk upserts are stored before they return (a checkpoint's
/// listing is as durable as its latents); single upserts (an analysis relabelling a latent, whose own state holds
/// the label) are written behind within <see cref="WritePeriod"/>, and on deactivation, so relabelling thousands of
/// latents costs a few writes of the partition instead of thousands.
/// </summary>
[GrainType("latent-index")]
public sealed class LatentIndexGrain([PersistentState("latent-index")] IPersistentState<LatentIndexState> state)
    : Grain, ILatentIndexGrain
{
    static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(5);
    IDisposable? timer;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (timer is not null) await WriteAsync();
    }

    public async Task UpsertManyAsync(LatentSummary[] summaries)
    {
        foreach (var summary in summaries) state.State.Latents[summary.Latent] = summary;
        await WriteAsync();
    }

    public Task UpsertAsync(LatentSummary summary)
    {
        state.State.Latents[summary.Latent] = summary;
        timer ??= this.RegisterGrainTimer(_ => WriteAsync(), WritePeriod, WritePeriod);
        return Task.CompletedTask;
    }

    public Task<LatentSummary[]> ListAsync() => Task.FromResult(state.State.Latents.Values.ToArray());

    /// <summary>Stores everything and stops the write-behind timer.</summary>
    async Task WriteAsync()
    {
        timer?.Dispose();
        timer = null;
        await this.WriteOrDeactivateAsync(state);
    }
}
