using Actors.Grains.Runtime;

namespace Actors.Grains.Latents;

public sealed class LatentIndexState
{
    public Dictionary<int, LatentSummary> Latents { get; init; } = [];
}

/// <summary>
/// Written behind on a timer, on deactivation, and at every ingestion checkpoint (after the latents flushed), so
/// the stored index is never behind a checkpoint; between checkpoints it is derived data that a resumed
/// ingestion re-pushes.
/// </summary>
public sealed class LatentIndexGrain([PersistentState("latent-index")] IPersistentState<LatentIndexState> state)
    : Grain, ILatentIndexGrain
{
    static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(5);
    IDisposable? timer;
    bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        timer = Context.RegisterTimer(_ => FlushAsync(), WritePeriod, WritePeriod);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(CancellationToken cancellationToken)
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
