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
    /// keeps the grains' share of the time small; the host holds at most two merged sketches per latent meanwhile (one
    /// group being delivered, one gathering the next batches).
    /// </summary>
    public int CheckpointEveryBatches { get; set; } = 256;
    /// <summary>
    /// Seconds between checkpoints (what a crash of the host can make it redo), unless delivering takes so long that
    /// this would spend more than <see cref="DeliveryShare"/> of the ingestion's time on it (<see cref="CheckpointSecondsFor"/>).
    /// </summary>
    public double CheckpointSeconds { get; set; } = 10;
    /// <summary>
    /// The share of the ingestion's time that delivery may take: a checkpoint interval is at least a delivery's
    /// expected seconds / DeliveryShare (at most <see cref="CheckpointMaxSeconds"/>), so deliveries carry more batches
    /// per latent where each costs more — a wide SAE touches every latent in every interval, and a delivery's cost is a
    /// call and a write per touched latent whatever the batches it covers.
    /// </summary>
    public double DeliveryShare { get; set; } = 0.1;
    /// <summary>The longest interval <see cref="DeliveryShare"/> may stretch checkpoints to.</summary>
    public double CheckpointMaxSeconds { get; set; } = 120;
    /// <summary>
    /// Seconds a delivery is expected to take per touched latent until a run has timed its first one (then its own
    /// figure is used). Without a prior the first interval was always <see cref="CheckpointSeconds"/>, so a wide SAE's
    /// first delivery took more than its share of the time. Measured on the 2-core machine CI uses, embedded default
    /// (ingest-wide, 28.7k latents per delivery, 17 runs): 1.75–2.95 s for a first (cold) delivery, 61–103 µs per
    /// latent, and 1.34–1.90 s (47–66 µs) once the latents are active.
    /// </summary>
    public double DeliverySecondsPerLatent { get; set; } = 70e-6;

    /// <summary>
    /// Seconds from one checkpoint to the next when the group to deliver touches <paramref name="touchedLatents"/>
    /// latents and a delivery costs <paramref name="secondsPerLatent"/> per latent: <see cref="CheckpointSeconds"/>,
    /// stretched so that delivering stays within <see cref="DeliveryShare"/>, up to <see cref="CheckpointMaxSeconds"/>.
    /// </summary>
    public double CheckpointSecondsFor(int touchedLatents, double secondsPerLatent) =>
        Math.Max(CheckpointSeconds, Math.Min(CheckpointMaxSeconds, touchedLatents * secondsPerLatent / DeliveryShare));
    /// <summary>
    /// Corpora ingested at the same time on a host, in job slots of their own beside the analyses' (Jobs:MaxConcurrentJobs);
    /// more ingestion jobs wait queued (continuous ingestion).
    /// </summary>
    public int MaxConcurrentJobs { get; set; } = 1;
    /// <summary>Longest side of the stored reference-image thumbnails.</summary>
    public int ThumbnailSize { get; set; } = 128;
}
