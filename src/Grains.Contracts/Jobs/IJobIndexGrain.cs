using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>The listing of all jobs (one grain, key <see cref="Key"/>): kind, subject, status, submission time.</summary>
[Alias("actors.IJobIndexGrain")]
public interface IJobIndexGrain : IGrainWithStringKey
{
    const string Key = "jobs";
    Task UpsertAsync(JobSummary summary);
    /// <summary>Jobs, newest first, optionally of one kind and/or status.</summary>
    Task<JobSummary[]> ListAsync(string? kind = null, JobStatus? status = null);
    /// <summary>Jobs not yet ended (queued or running): what a host scans for work a dead host left.</summary>
    Task<JobSummary[]> ListUnendedAsync();
}
