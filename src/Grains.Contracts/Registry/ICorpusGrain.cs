using Orleans;

namespace Actors.Grains.Registry;

/// <summary>One corpus, key "{corpus}": its source, ingestion status, progress and resume checkpoint.</summary>
[Alias("actors.ICorpusGrain")]
public interface ICorpusGrain : IGrainWithStringKey
{
    Task RegisterAsync(CorpusSource source);
    Task StartAsync(string saeId, long imagesTotal);
    /// <summary>Records a batch as durable everywhere (call after its grains flushed) with the seconds its stages took;
    /// false, and nothing counted, if recorded before.</summary>
    Task<bool> CompleteBatchAsync(long batchId, int images, FailedFile[] failures, IngestionStages stages);
    Task<bool> IsBatchCompleteAsync(long batchId);
    /// <summary>The running ingestion's position: batches processed (checkpointed or not) of its total. Held in memory
    /// only, for the progress resource; never written.</summary>
    Task ReportProcessedAsync(long batchesProcessed, long batchesTotal);
    Task FinishAsync(string? error = null);
    Task<CorpusView> GetAsync();
}
