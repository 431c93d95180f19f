using System.Text.Json;
using Actors.Grains.Hosts;
using Actors.Grains.Jobs;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Registry;

/// <summary>
/// Corpus grain: progress and checkpoint, written through (one write per checkpoint's batches). An ingestion is a job
/// of kind "ingestion" that this grain submits when it accepts a start; the job grain holds its lease, progress and
/// end, and while the corpus is ingesting its status follows the job's.
/// </summary>
[GrainType("corpus")]
public sealed class CorpusGrain([PersistentState("corpus")] IPersistentState<CorpusState> state, ILogger<CorpusGrain> logger)
    : Grain, ICorpusGrain
{
    long batchesProcessed, batchesTotal;

    string Id => this.GetPrimaryKeyString();

    public async Task RegisterAsync(CorpusSource source)
    {
        if (!CorpusSource.Kinds.Contains(source.Kind))
            throw new ArgumentException($"corpus '{Id}': source kind '{source.Kind}' is not one of {string.Join(", ", CorpusSource.Kinds)}");
        state.State.Source = source;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<IngestionStart> StartIngestionAsync(string saeId, string? vocabularyId)
    {
        var s = state.State;
        if (s.Source is null) throw new InvalidOperationException($"corpus '{Id}' is not registered");
        await FollowJobAsync();
        // A corpus left ingesting by a version that ran ingestion outside the job model names no job: it starts again.
        if (s.Status == CorpusStatus.Ingesting && s.JobId is not null)
            return new IngestionStart(false, $"corpus '{Id}' is already being ingested (through SAE '{s.SaeId}', job '{s.JobId}')", View());
        if (s.SaeId is { } earlier && earlier != saeId && Applied(s) > 0)
            return new IngestionStart(false, $"corpus '{Id}' was ingested through SAE '{earlier}'; register it again under a new id for another SAE", View());
        // Recorded before the job is submitted: if the submission fails, the job the corpus names does not exist and the
        // corpus says failed (FollowJobAsync) instead of ingesting forever, and no job ever runs for a corpus that does
        // not name it.
        string jobId = $"{IngestionRequest.JobKind}-{Guid.NewGuid().ToString("N")[..12]}";
        s.SaeId = saeId;
        s.VocabularyId = vocabularyId;
        s.Status = CorpusStatus.Ingesting;
        s.Error = null;
        s.JobId = jobId;
        await this.WriteOrDeactivateAsync(state);
        string parameters = JsonSerializer.Serialize(new IngestionRequest(Id, saeId, vocabularyId), JsonSerializerOptions.Web);
        await GrainFactory.GetGrain<IJobGrain>(jobId).SubmitAsync(new JobSpec(IngestionRequest.JobKind, parameters, Id));
        await WakeHostAsync(jobId);
        return new IngestionStart(true, null, View());
    }

    /// <summary>
    /// Tells a GPU host about the job now (the job-host grain has its class on host silos only). Best effort: the job
    /// is stored and every host's periodic scan finds queued jobs, so a start does not fail because no host answered.
    /// </summary>
    async Task WakeHostAsync(string jobId)
    {
        try { await GrainFactory.GetGrain<IJobHostGrain>(0).EnqueueAsync(jobId); }
        catch (Exception e)
        {
            logger.LogWarning("corpus {Corpus}: no GPU host was woken for job {Job} ({Error}); the hosts' scan will find it", Id, jobId, e.Message);
        }
    }

    /// <summary>
    /// While the corpus is ingesting its job decides: a job that ended leaves the corpus completed, cancelled, or failed
    /// with the job's error (a job cancelled while queued never reached a host, so the corpus learns it only here).
    /// </summary>
    async Task FollowJobAsync()
    {
        var s = state.State;
        if (s.Status != CorpusStatus.Ingesting || s.JobId is not { } jobId) return;
        var job = await GrainFactory.GetGrain<IJobGrain>(jobId).GetAsync();
        (CorpusStatus Status, string? Error)? end = job switch
        {
            null => (CorpusStatus.Failed, $"ingestion job '{jobId}' does not exist (its submission failed)"),
            { Status: JobStatus.Succeeded } => (CorpusStatus.Completed, null),
            { Status: JobStatus.Failed } => (CorpusStatus.Failed, job.Error),
            { Status: JobStatus.Cancelled } => (CorpusStatus.Cancelled, null),
            _ => null,
        };
        if (end is not { } e) return;
        (s.Status, s.Error) = e;
        await this.WriteOrDeactivateAsync(state);
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
            throw new ArgumentOutOfRangeException(nameof(processed), $"corpus '{Id}': {processed} of {total} batches processed");
        (batchesProcessed, batchesTotal) = (processed, total);
        return Task.CompletedTask;
    }

    public async Task FinishAsync()
    {
        state.State.Status = CorpusStatus.Completed;
        state.State.Error = null;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<CorpusView> GetAsync()
    {
        await FollowJobAsync();
        return View();
    }

    static long Applied(CorpusState s) => s.Completed.Watermark + 1 + s.Completed.Above.Count;

    CorpusView View()
    {
        var s = state.State;
        long applied = Applied(s);
        return new CorpusView(Id, s.Source, s.SaeId, s.Status, s.Error, s.ImagesTotal, s.ImagesDone,
            applied, s.Completed.Watermark, [.. s.FailedFiles], s.Stages, Math.Max(batchesProcessed, applied), batchesTotal, s.VocabularyId, s.JobId);
    }
}
