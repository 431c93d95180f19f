namespace Actors.GpuHost.Ingestion;

/// <summary>
/// A running ingestion's live position: images of the batches recorded before this run and processed in it (done of
/// the corpus's total, unreadable files included), and the same in batches; <see cref="Stage"/> is "loading model",
/// "ingesting" or "completed".
/// </summary>
public sealed record IngestionProgress(string Stage, long ImagesDone, long ImagesTotal, long BatchesDone, long BatchesTotal);

/// <summary>
/// What an ingestion job answers: the corpus as completed (images, unreadable files, images/s over its recorded
/// batches), how many of its batches this run found recorded by an earlier, interrupted run and skipped, and the
/// labelling jobs it queued for the new reference images.
/// </summary>
public sealed record IngestionResult(string CorpusId, string SaeId, string? VocabularyId, long ImagesTotal, long ImagesDone,
    int FailedFiles, long Batches, long BatchesRecordedBefore, double ImagesPerSecond, string[] LabellingJobs);
