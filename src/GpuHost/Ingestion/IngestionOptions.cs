namespace Actors.GpuHost.Ingestion;

/// <summary>Settings of ingestion (section "Ingestion").</summary>
public sealed class IngestionOptions
{
    /// <summary>Images per batch: one CLIP forward, one SAE encode, one sketch.</summary>
    public int BatchSize { get; set; } = 32;
    /// <summary>
    /// A checkpoint (deliver the batches since the last one, merged per latent, then record them complete) comes
    /// after <see cref="CheckpointSeconds"/> or after this many batches, whichever is first. Delivery costs a call and
    /// a write per touched latent whatever the number of batches it covers, so on a fast host the interval is what
    /// keeps the grains' share of the time small; the host holds at most one merged sketch per latent meanwhile.
    /// </summary>
    public int CheckpointEveryBatches { get; set; } = 256;
    /// <summary>Seconds between checkpoints at most (what a crash of the host can make it redo).</summary>
    public double CheckpointSeconds { get; set; } = 10;
    /// <summary>
    /// Corpora ingested at the same time on a host, in job slots of their own beside the analyses' (Jobs:MaxConcurrentJobs);
    /// more ingestion jobs wait queued (continuous ingestion).
    /// </summary>
    public int MaxConcurrentJobs { get; set; } = 1;
    /// <summary>Longest side of the stored reference-image thumbnails.</summary>
    public int ThumbnailSize { get; set; } = 128;
}
