using Orleans;
using Orleans.Runtime;
using Actors.Grains.Hosts;

namespace Actors.Grains.Registry;

/// <summary>Corpus grain: progress and checkpoint, written through (one write per checkpoint's batches).</summary>
[GrainType("corpus")]
public sealed class CorpusGrain([PersistentState("corpus")] IPersistentState<CorpusState> state) : Grain, ICorpusGrain
{
    long batchesProcessed, batchesTotal;

    public async Task RegisterAsync(CorpusSource source)
    {
        if (!CorpusSource.Kinds.Contains(source.Kind))
            throw new ArgumentException($"corpus '{this.GetPrimaryKeyString()}': source kind '{source.Kind}' is not one of {string.Join(", ", CorpusSource.Kinds)}");
        state.State.Source = source;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<IngestionStart> StartIngestionAsync(string saeId, string? vocabularyId)
    {
        var s = state.State;
        string id = this.GetPrimaryKeyString();
        if (s.Source is null) throw new InvalidOperationException($"corpus '{id}' is not registered");
        if (s.Status == CorpusStatus.Ingesting)
            return new IngestionStart(false, $"corpus '{id}' is already being ingested (through SAE '{s.SaeId}')", View());
        if (s.SaeId is { } earlier && earlier != saeId && Applied(s) > 0)
            return new IngestionStart(false, $"corpus '{id}' was ingested through SAE '{earlier}'; register it again under a new id for another SAE", View());
        // Queued before it is recorded: if no host takes it, the corpus is not left marked as ingesting.
        await GrainFactory.GetGrain<IIngestionHostGrain>(0).EnqueueAsync(new IngestionRequest(id, saeId, vocabularyId));
        s.SaeId = saeId;
        s.VocabularyId = vocabularyId;
        s.Status = CorpusStatus.Ingesting;
        s.Error = null;
        await this.WriteOrDeactivateAsync(state);
        return new IngestionStart(true, null, View());
    }

    public async Task BeginAsync(long imagesTotal)
    {
        state.State.ImagesTotal = imagesTotal;
        state.State.Status = CorpusStatus.Ingesting;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<bool> CompleteBatchAsync(long batchId, int images, FailedFile[] failures, IngestionStages stages) =>
        await CompleteBatchesAsync([new CompletedBatch(batchId, images, failures, stages)]) == 1;

    public async Task<int> CompleteBatchesAsync(CompletedBatch[] batches)
    {
        var s = state.State;
        if (batches.FirstOrDefault(b => b.BatchId < 0) is { } bad)
            throw new ArgumentOutOfRangeException(nameof(batches), bad.BatchId, "batch ids are non-negative");
        int added = 0;
        foreach (var b in batches)
        {
            if (s.Completed.Contains(b.BatchId)) continue;
            s.Completed.Add(b.BatchId);
            s.ImagesDone += b.Images;
            s.FailedFiles.AddRange(b.Failures);
            s.Stages = s.Stages.Plus(b.Stages);
            added++;
        }
        if (added > 0) await this.WriteOrDeactivateAsync(state);
        return added;
    }

    public Task<bool> IsBatchCompleteAsync(long batchId) => Task.FromResult(state.State.Completed.Contains(batchId));

    public Task ReportProcessedAsync(long processed, long total)
    {
        if (processed < 0 || total < processed)
            throw new ArgumentOutOfRangeException(nameof(processed), $"corpus '{this.GetPrimaryKeyString()}': {processed} of {total} batches processed");
        (batchesProcessed, batchesTotal) = (processed, total);
        return Task.CompletedTask;
    }

    public async Task FinishAsync(string? error = null)
    {
        state.State.Status = error is null ? CorpusStatus.Completed : CorpusStatus.Failed;
        state.State.Error = error;
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<CorpusView> GetAsync() => Task.FromResult(View());

    static long Applied(CorpusState s) => s.Completed.Watermark + 1 + s.Completed.Above.Count;

    CorpusView View()
    {
        var s = state.State;
        long applied = Applied(s);
        return new CorpusView(this.GetPrimaryKeyString(), s.Source, s.SaeId, s.Status, s.Error, s.ImagesTotal, s.ImagesDone,
            applied, s.Completed.Watermark, [.. s.FailedFiles], s.Stages, Math.Max(batchesProcessed, applied), batchesTotal, s.VocabularyId);
    }
}
