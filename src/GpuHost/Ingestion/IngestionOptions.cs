namespace Actors.GpuHost.Ingestion;

/// <summary>Settings of ingestion (section "Ingestion").</summary>
public sealed class IngestionOptions
{
    /// <summary>Images per batch: one CLIP forward, one SAE encode, one message per partition.</summary>
    public int BatchSize { get; set; } = 32;
    /// <summary>Messages per batch: latents are split by index mod this.</summary>
    public int Partitions { get; set; } = 8;
    /// <summary>Batches between checkpoints (flush touched latent grains, then record the batches as complete).</summary>
    public int CheckpointEveryBatches { get; set; } = 8;
    /// <summary>Corpora ingested at the same time; more are queued (continuous ingestion).</summary>
    public int MaxConcurrentJobs { get; set; } = 1;
    /// <summary>Longest side of the stored reference-image thumbnails.</summary>
    public int ThumbnailSize { get; set; } = 128;
    /// <summary>Resume corpora left "ingesting" by a previous process when the host starts.</summary>
    public bool ResumeOnStart { get; set; } = true;
}
