using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>Where a corpus comes from: a folder (class per sub-folder optional) or a manifest file (path/URL, optional label).</summary>
public sealed record CorpusSource(string Kind, string Path)
{
    public static readonly string[] Kinds = ["folder", "manifest"];
}

public enum CorpusStatus { Registered, Ingesting, Completed, Failed }

/// <summary>A file ingestion could not use, and why (corrupt files are listed, never fatal).</summary>
public sealed record FailedFile(string Path, string Reason);

/// <summary>
/// A corpus's ingestion progress. <see cref="Completed"/> is the resume checkpoint: batch ids whose deltas are
/// persisted in every grain; its watermark is the DurableThrough that messages carry.
/// </summary>
public sealed class CorpusState
{
    public CorpusSource? Source { get; set; }
    public string? SaeId { get; set; }
    public CorpusStatus Status { get; set; }
    public string? Error { get; set; }
    public long ImagesTotal { get; set; }
    public long ImagesDone { get; set; }
    public List<FailedFile> FailedFiles { get; init; } = [];
    public CorpusLedger Completed { get; init; } = new();
    /// <summary>Stage seconds summed over the recorded batches (absent in state written before it existed).</summary>
    public IngestionStages Stages { get; set; } = IngestionStages.None;
}

/// <summary>
/// A corpus's progress resource. Images, batches applied and stages count what is durable (checkpointed);
/// <see cref="BatchesProcessed"/> of <see cref="BatchesTotal"/> is the running ingestion's live position, which runs
/// ahead of the checkpoints (0 of 0 while no ingestion has reported in this process). <see cref="ImagesPerSecond"/> is
/// ImagesDone over the seconds its recorded batches took (<see cref="IngestionStages.Total"/>), 0 before any.
/// </summary>
public sealed record CorpusView(string CorpusId, CorpusSource? Source, string? SaeId, CorpusStatus Status, string? Error,
    long ImagesTotal, long ImagesDone, long BatchesApplied, long DurableThrough, FailedFile[] FailedFiles, IngestionStages Stages,
    long BatchesProcessed, long BatchesTotal)
{
    public double ImagesPerSecond => Stages.Total > 0 ? ImagesDone / Stages.Total : 0;
}
