using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Latents;

/// <summary>
/// Written behind on a timer, on deactivation, and at every ingestion checkpoint (after the latents flushed), so
/// the stored index is never behind a checkpoint; between checkpoints it is derived data that a resumed
/// ingestion re-pushes.
/// </summary>
[GrainType("latent-index")]
public sealed class LatentIndexGrain([PersistentState("latent-index")] IPersistentState<LatentIndexState> state)
    : Grain, ILatentIndexGrain
{
    static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(5);
    IDisposable? timer;
    bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        timer = this.RegisterGrainTimer(_ => FlushAsync(), WritePeriod, WritePeriod);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        timer?.Dispose();
        await FlushAsync();
    }

    public Task UpsertAsync(LatentSummary summary)
    {
        state.State.Latents[summary.Latent] = summary;
        dirty = true;
        return Task.CompletedTask;
    }

    public Task<LatentSummary[]> ListAsync() => Task.FromResult(state.State.Latents.Values.ToArray());

    public async Task FlushAsync()
    {
        if (!dirty) return;
        await state.WriteStateAsync();
        dirty = false;
    }
}
