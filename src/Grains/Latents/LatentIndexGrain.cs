using Actors.Grains.Runtime;

namespace Actors.Grains.Latents;

public sealed class LatentIndexState
{
    public Dictionary<int, LatentSummary> Latents { get; init; } = [];
}

/// <summary>
/// Written behind on a timer and on deactivation: the index is derived data (each latent grain re-pushes its
/// summary on every write), so a crash can only leave it behind, never wrong for long.
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

    async Task FlushAsync()
    {
        if (!dirty) return;
        await state.WriteStateAsync();
        dirty = false;
    }
}
