namespace Actors.GpuHost.Jobs;

/// <summary>
/// Runs one kind of job on a host (an ingestion, an evaluation, a sweep, a retraining). A handler that can be
/// interrupted keeps its own checkpoint keyed by <see cref="JobContext.JobId"/> (or by what the job is about, as
/// ingestion's batch ledger in the corpus grain) and continues from it when the job is claimed again
/// (<see cref="JobContext.Attempt"/> &gt; 1).
/// </summary>
public interface IJobHandler
{
    string Kind { get; }
    /// <summary>
    /// How many jobs of this kind run at once in slots of their own, beside the <see cref="JobOptions.MaxConcurrentJobs"/>
    /// slots that kinds without their own share; 0 (the default): in the shared slots. A kind with slots of its own
    /// (ingestion) never waits behind the analyses, nor they behind it.
    /// </summary>
    int OwnSlots => 0;
    Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>A job's result: JSON for the API, and optionally a PNG plot of it.</summary>
public sealed record JobOutcome(string Result, byte[]? Plot = null);
