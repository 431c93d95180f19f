namespace Actors.GpuHost.Jobs;

/// <summary>Configuration section "Jobs" of a host.</summary>
public sealed class JobOptions
{
    /// <summary>How long a claim lasts without a heartbeat; a host that dies frees its jobs after this.</summary>
    public double LeaseSeconds { get; set; } = 30;
    /// <summary>How often a running job's progress is stored and its lease extended (well under the lease).</summary>
    public double HeartbeatSeconds { get; set; } = 2;
    /// <summary>How often the host looks for queued jobs and jobs whose host died.</summary>
    public double ScanSeconds { get; set; } = 10;
    /// <summary>
    /// Jobs run at once in the slots that kinds without slots of their own share (analyses, sweeps, retraining,
    /// labelling); ingestion runs beside them in Ingestion:MaxConcurrentJobs slots of its own.
    /// </summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
