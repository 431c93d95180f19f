using Orleans;
using Orleans.Runtime;
using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>SAE registry grain. Totals arrive once per delivery (a checkpoint interval of batches), so they are written through.</summary>
[GrainType("sae")]
public sealed class SaeGrain([PersistentState("sae")] IPersistentState<SaeState> state) : Grain, ISaeGrain
{
    public async Task RegisterAsync(SaeRecord record)
    {
        if (record.DSae <= 0) throw new ArgumentException($"SAE '{this.GetPrimaryKeyString()}': d_sae must be positive, found {record.DSae}");
        state.State.Record = record;
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<SaeView> GetAsync() =>
        Task.FromResult(new SaeView(this.GetPrimaryKeyString(), state.State.Record, [.. state.State.Corpora], state.State.Totals.Clone(),
            state.State.Steerability, state.State.Lineage));

    public async Task<bool> MergeTotalsAsync(string corpusId, long batchId, int batchCount, long durableThrough, IngestTotals totals)
    {
        var s = state.State;
        if (!s.Ledger.TryAddRange(corpusId, batchId, batchCount, durableThrough)) return false;
        s.Totals.MergeFrom(totals);
        if (!s.Corpora.Contains(corpusId)) s.Corpora.Add(corpusId);
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public Task<IngestTotals> GetTotalsAsync() => Task.FromResult(state.State.Totals.Clone());

    public async Task SetSteerabilityAsync(Actors.Grains.Steering.SteerabilityReport report)
    {
        state.State.Steerability = report;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task SetLineageAsync(SaeLineage lineage)
    {
        if (state.State.Record is null) throw new InvalidOperationException($"SAE '{this.GetPrimaryKeyString()}' is not registered");
        if (lineage.Version < 2) throw new ArgumentException($"a retrained SAE is version 2 or later, not {lineage.Version}");
        state.State.Lineage = lineage;
        await this.WriteOrDeactivateAsync(state);
    }
}
