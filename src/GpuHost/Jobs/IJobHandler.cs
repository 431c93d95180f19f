namespace Actors.GpuHost.Jobs;

/// <summary>
/// Runs one kind of job on a host (an evaluation, a sweep, a retraining). A handler that can be interrupted keeps its
/// own checkpoint keyed by <see cref="JobContext.JobId"/> and continues from it when the job is claimed again
/// (<see cref="JobContext.Attempt"/> &gt; 1).
/// </summary>
public interface IJobHandler
{
    string Kind { get; }
    Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>A job's result: JSON for the API, and optionally a PNG plot of it.</summary>
public sealed record JobOutcome(string Result, byte[]? Plot = null);
