using Actors.Grains.Evaluations;
using Actors.Grains.Messages;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Latents;

/// <summary>
/// The latent grain. A delivery is stored before the call returns, so a merge that returned is durable: if the silo
/// dies during the call the caller retries, and the new activation, read from storage, either holds the batches
/// (nothing changes) or not (merge, store). The ledger and the sketch are one record, so the stored ledger names
/// exactly the batches the stored sketch holds. A write that fails deactivates the grain (<see cref="StateWrites"/>).
/// Ingestion delivers a checkpoint interval's batches in one delta, so this costs one write per touched latent per
/// checkpoint.
/// </summary>
[GrainType("latent")]
public sealed class LatentGrain([PersistentState("latent")] IPersistentState<LatentState> state) : Grain, ILatentGrain
{
    // Queries outnumber merges once a corpus is ingested: the view is rebuilt only after a change of this state
    // or of the SAE's totals (which other latents' batches move, re-read at most once per ViewTotalsMaxAge). An
    // unchanged view is the same instance, so callers may cache what they derive from it (e.g. its JSON).
    const long ViewTotalsMaxAgeMs = 1000;
    LatentView? view;
    IngestTotals? viewTotals;
    long viewCheckedAt;

    (string SaeId, int Latent) Key => key ??= LatentKey.Parse(this.GetPrimaryKeyString());   // parsed once per activation
    (string SaeId, int Latent)? key;

    public async Task<LatentMerge> MergeAsync(LatentDelta delta)
    {
        bool applied = state.State.TryMerge(delta);
        if (applied)
        {
            view = null;
            await this.WriteOrDeactivateAsync(state);
        }
        return new LatentMerge(applied, LatentSummary.Of(Key.Latent, state.State));
    }

    public async Task<LatentView> GetAsync()
    {
        long now = Environment.TickCount64;
        if (view is not null && now - viewCheckedAt < ViewTotalsMaxAgeMs) return view;
        var (saeId, latent) = Key;
        var totals = await GrainFactory.GetGrain<ISaeGrain>(saeId).GetTotalsAsync();
        // Totals only grow (every batch adds images), so equal counts mean no batch was added since.
        if (view is null || viewTotals is null || totals.Tokens != viewTotals.Tokens || totals.Images != viewTotals.Images)
        {
            view = LatentView.From(saeId, latent, state.State, totals);
            viewTotals = totals;
        }
        viewCheckedAt = now;
        return view;
    }

    public Task SetSemanticLabelsAsync(SemanticLabeling labels)
    {
        state.State.SemanticLabels = labels with { Labels = [.. labels.Labels.OrderByDescending(l => l.Alignment)] };
        return ChangedAsync();
    }

    public Task SetCarriedLabelsAsync(SemanticLabeling labels)
    {
        if (labels.CarriedFrom is null) throw new ArgumentException("carried labels name the latent they were carried from");
        state.State.CarriedLabels = labels;
        return StoreAsync();
    }

    public Task SetLogitLensAsync(LogitLensResult result)
    {
        state.State.LogitLens = result with { Scores = [.. result.Scores.OrderByDescending(s => s.Score)] };
        return StoreAsync();
    }

    public Task SetSteeringSweepAsync(Actors.Grains.Steering.SteeringSweep sweep)
    {
        state.State.SteeringSweep = sweep;
        return StoreAsync();
    }

    public Task SetFailureModeAsync(LatentFailureMode mode)
    {
        state.State.FailureModes[mode.ClassLabel] = mode;
        return StoreAsync();
    }

    public Task ClearFailureModeAsync(string classLabel) =>
        state.State.FailureModes.Remove(classLabel) ? StoreAsync() : Task.CompletedTask;

    /// <summary>Stores an analysis's result that the latent index does not list.</summary>
    async Task StoreAsync()
    {
        view = null;
        await this.WriteOrDeactivateAsync(state);
    }

    /// <summary>Stores an analysis's result and tells the index (the semantic label, its alignment and clarity are listed there).</summary>
    async Task ChangedAsync()
    {
        await StoreAsync();
        var (saeId, latent) = Key;
        if (state.State.Sketch.Firing.FiringTokens > 0)   // a latent that never fired is not listed
            await GrainFactory.GetGrain<ILatentIndexGrain>(ILatentIndexGrain.KeyOf(saeId, latent)).UpsertAsync(LatentSummary.Of(latent, state.State));
    }
}
