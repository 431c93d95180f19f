using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Actors.Grains.Messages;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>
/// The latent grain. Persistence and crash-resume: with write-behind a crash loses merges made since the last
/// write, but never half of one — the ledger and the sketch are one record, so the stored ledger names exactly
/// the batches the stored sketch contains. Ingestion advances a corpus checkpoint only after flushing the grains
/// it sent to (<see cref="FlushAsync"/>), so after a crash it re-sends every batch past the checkpoint: the
/// ones the stored ledger holds are skipped, the lost ones re-applied. No batch is lost or counted twice, and
/// the hot path is an in-memory merge with no I/O.
/// </summary>
[GrainType("latent")]
public sealed class LatentGrain(
    [PersistentState("latent")] IPersistentState<LatentState> state,
    ILogger<LatentGrain> logger,
    LatentGrainOptions? options = null) : Grain, ILatentGrain
{
    static readonly Task<bool> Applied = Task.FromResult(true), Skipped = Task.FromResult(false);
    readonly LatentGrainOptions options = options ?? LatentGrainOptions.Default;
    IDisposable? flushTimer;
    bool dirty;
    // The index entry may be older than the state: after activation (a crash can lose index writes) and after a
    // re-delivered batch (the state may hold it from a write the index never saw). Flush re-pushes it then.
    bool indexStale = true;
    // Queries outnumber merges once a corpus is ingested: the view is rebuilt only after a change of this state
    // or of the SAE's totals (which other latents' batches move, re-read at most once per ViewTotalsMaxAge). An
    // unchanged view is the same instance, so callers may cache what they derive from it (e.g. its JSON).
    const long ViewTotalsMaxAgeMs = 1000;
    LatentView? view;
    IngestTotals? viewTotals;
    long viewCheckedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmFlushTimer();   // the index entry is stale after activation
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        DisarmFlushTimer();
        if (dirty) await state.WriteStateAsync();
        dirty = false;
        // The index entry is derived data: on a silo that is shutting down its partition may already be gone, and the
        // next activation of this latent pushes it again (indexStale starts true). State is what must not be lost.
        try { await FlushAsync(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("latent {Latent}: index entry not pushed on deactivation ({Reason}): {Error}",
                this.GetPrimaryKeyString(), reason.Description, e.Message);
        }
    }

    /// <summary>
    /// The write-behind timer runs only while something is unwritten: tens of thousands of idle latents ticking
    /// every period would each cost a turn, and ticks of latents activated together arrive together, stalling the
    /// queries behind them (measured: 25–36 ms stalls every ≈ 6 s under the api-latency load with 512 latents).
    /// </summary>
    void ArmFlushTimer()
    {
        if (flushTimer is null && options.WriteBehind is { } period)
            flushTimer = this.RegisterGrainTimer(_ => FlushAsync(), period, period);
    }

    void DisarmFlushTimer()
    {
        flushTimer?.Dispose();
        flushTimer = null;
    }

    public Task<bool> MergeAsync(LatentDelta delta)
    {
        if (!state.State.TryMerge(delta)) { indexStale = true; ArmFlushTimer(); return Skipped; }
        dirty = true;
        view = null;
        if (options.WriteBehind is null) return WriteThenApplied();
        ArmFlushTimer();
        return Applied;
    }

    async Task<bool> WriteThenApplied() { await FlushAsync(); return true; }

    public async Task FlushAsync()
    {
        if (dirty) await state.WriteStateAsync();
        if (dirty || indexStale)
        {
            dirty = false;
            indexStale = false;
            if (state.State.Sketch.Firing.FiringTokens > 0)   // a latent that never fired is not listed
            {
                var (saeId, latent) = LatentKey.Parse(this.GetPrimaryKeyString());
                await GrainFactory.GetGrain<ILatentIndexGrain>(ILatentIndexGrain.KeyOf(saeId, latent))
                    .UpsertAsync(LatentSummary.Of(latent, state.State));
            }
        }
        DisarmFlushTimer();   // everything is written; the next merge arms it again
    }

    public async Task<LatentView> GetAsync()
    {
        long now = Environment.TickCount64;
        if (view is not null && now - viewCheckedAt < ViewTotalsMaxAgeMs) return view;
        var (saeId, latent) = LatentKey.Parse(this.GetPrimaryKeyString());
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

    public async Task SetSemanticLabelsAsync(SemanticLabeling labels)
    {
        state.State.SemanticLabels = labels with { Labels = [.. labels.Labels.OrderByDescending(l => l.Alignment)] };
        dirty = true;
        view = null;
        await FlushAsync();
    }

    public async Task SetLogitLensAsync(LogitLensResult result)
    {
        state.State.LogitLens = result with { Scores = [.. result.Scores.OrderByDescending(s => s.Score)] };
        dirty = true;
        view = null;
        await FlushAsync();
    }
}
