using Orleans;

namespace Actors.Grains.Registry;

/// <summary>One corpus, key "{corpus}": its source, ingestion status, progress and resume checkpoint.</summary>
[Alias("actors.ICorpusGrain")]
public interface ICorpusGrain : IGrainWithStringKey
{
    Task RegisterAsync(CorpusSource source);
    /// <summary>
    /// Starts (or resumes) ingesting through an SAE in one step: refused while its ingestion job has not ended or when
    /// the corpus holds batches of another SAE; otherwise marked ingesting with the id of a newly submitted job of kind
    /// "ingestion" (IngestionRequest.JobKind), which a GPU host runs. Calls are one turn at a time, so of two
    /// concurrent starts exactly one is accepted.
    /// </summary>
    Task<IngestionStart> StartIngestionAsync(string saeId, string? vocabularyId);
    /// <summary>The job has read the corpus: its image count.</summary>
    Task BeginAsync(long imagesTotal);
    /// <summary>Records a batch as durable everywhere (call after its grains flushed) with the seconds its stages took;
    /// false, and nothing counted, if recorded before.</summary>
    Task<bool> CompleteBatchAsync(long batchId, int images, FailedFile[] failures, IngestionStages stages);
    /// <summary>
    /// Records a checkpoint's batches in one write: after a crash either all the batches a delivery covered are recorded
    /// or none, so the resumed run starts at a delivery's first batch and sends the same batch ranges again, which the
    /// grains' ledgers accept whole or not at all (a crash between two single records made it re-send a range that
    /// overlapped the delivered one in part). Returns how many were not recorded before; those alone are counted.
    /// </summary>
    Task<int> CompleteBatchesAsync(CompletedBatch[] batches);
    Task<bool> IsBatchCompleteAsync(long batchId);
    /// <summary>The running ingestion's position: batches processed (checkpointed or not) of its total. Held in memory
    /// only, for the progress resource; never written.</summary>
    Task ReportProcessedAsync(long batchesProcessed, long batchesTotal);
    /// <summary>The ingestion completed; a failure or cancel reaches the corpus through its job instead.</summary>
    Task FinishAsync();
    /// <summary>
    /// The corpus's progress resource. While it is ingesting, its job decides: a job that ended without completing
    /// the corpus (cancelled, failed, or lost) makes it cancelled or failed with the job's error.
    /// </summary>
    Task<CorpusView> GetAsync();
}
