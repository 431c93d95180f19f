using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>Where a corpus comes from: a folder (class per sub-folder optional) or a manifest file (path/URL, optional label).</summary>
[GenerateSerializer, Immutable, Alias("actors.CorpusSource")]
public sealed record CorpusSource([property: Id(0)] string Kind, [property: Id(1)] string Path)
{
    public static readonly string[] Kinds = ["folder", "manifest"];
}

/// <summary>Where a corpus's ingestion is; <see cref="Cancelled"/>: its job was cancelled (start it again to resume).</summary>
[GenerateSerializer, Alias("actors.CorpusStatus")]
public enum CorpusStatus { Registered, Ingesting, Completed, Failed, Cancelled }

/// <summary>A file ingestion could not use, and why (corrupt files are listed, never fatal).</summary>
[GenerateSerializer, Immutable, Alias("actors.FailedFile")]
public sealed record FailedFile([property: Id(0)] string Path, [property: Id(1)] string Reason);

/// <summary>One batch a checkpoint records as durable everywhere: its images, unreadable files and the seconds its stages took.</summary>
[GenerateSerializer, Immutable, Alias("actors.CompletedBatch")]
public sealed record CompletedBatch([property: Id(0)] long BatchId, [property: Id(1)] int Images, [property: Id(2)] FailedFile[] Failures,
    [property: Id(3)] IngestionStages Stages);

/// <summary>
/// A corpus's ingestion progress. <see cref="Completed"/> is the resume checkpoint: batch ids whose deltas are
/// persisted in every grain; its watermark is the DurableThrough that messages carry.
/// </summary>
[GenerateSerializer, Alias("actors.CorpusState")]
public sealed class CorpusState
{
    [Id(0)] public CorpusSource? Source { get; set; }
    [Id(1)] public string? SaeId { get; set; }
    [Id(2)] public CorpusStatus Status { get; set; }
    [Id(3)] public string? Error { get; set; }
    [Id(4)] public long ImagesTotal { get; set; }
    [Id(5)] public long ImagesDone { get; set; }
    [Id(6)] public List<FailedFile> FailedFiles { get; init; } = [];
    [Id(7)] public CorpusLedger Completed { get; init; } = new();
    /// <summary>Stage seconds summed over the recorded batches (absent in state written before it existed).</summary>
    [Id(8)] public IngestionStages Stages { get; set; } = IngestionStages.None;
    /// <summary>The vocabulary whose concepts receive the class-level activations; null: none are collected.</summary>
    [Id(9)] public string? VocabularyId { get; set; }
    /// <summary>The job ("ingestion") of the latest start; while it has not ended the corpus is ingesting.</summary>
    [Id(10)] public string? JobId { get; set; }
}

/// <summary>What a request to start ingesting a corpus came to: started, or refused with the reason (a conflict).</summary>
[GenerateSerializer, Immutable, Alias("actors.IngestionStart")]
public sealed record IngestionStart([property: Id(0)] bool Started, [property: Id(1)] string? Refusal, [property: Id(2)] CorpusView View);

/// <summary>
/// A corpus's progress resource. Images, batches applied and stages count what is durable (checkpointed);
/// <see cref="BatchesProcessed"/> of <see cref="BatchesTotal"/> is the running ingestion's live position, which runs
/// ahead of the checkpoints (0 of 0 while no ingestion has reported in this process). <see cref="ImagesPerSecond"/> is
/// ImagesDone over the seconds its recorded batches took (<see cref="IngestionStages.Total"/>), 0 before any.
/// <see cref="JobId"/> is the job of the latest start (its progress resource is /api/jobs/{JobId}).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.CorpusView")]
public sealed record CorpusView([property: Id(0)] string CorpusId, [property: Id(1)] CorpusSource? Source, [property: Id(2)] string? SaeId, [property: Id(3)] CorpusStatus Status, [property: Id(4)] string? Error,
    [property: Id(5)] long ImagesTotal, [property: Id(6)] long ImagesDone, [property: Id(7)] long BatchesApplied, [property: Id(8)] long DurableThrough, [property: Id(9)] FailedFile[] FailedFiles, [property: Id(10)] IngestionStages Stages,
    [property: Id(11)] long BatchesProcessed, [property: Id(12)] long BatchesTotal, [property: Id(13)] string? VocabularyId = null,
    [property: Id(14)] string? JobId = null)
{
    public double ImagesPerSecond => Stages.Total > 0 ? ImagesDone / Stages.Total : 0;
}
