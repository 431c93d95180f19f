using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>
/// One job, key "{job id}". Hosts claim it under a lease, report progress in heartbeats that extend the lease, and
/// end it; users read and cancel it. One call at a time, so two hosts never both hold a lease.
/// </summary>
[Alias("actors.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Records the job as queued (and lists it); submitting the same id again returns what is there.</summary>
    Task<JobView> SubmitAsync(JobSpec spec);
    /// <summary>Grants the job to <paramref name="host"/> if it is queued or its lease ran out; refuses otherwise.</summary>
    Task<JobClaim> ClaimAsync(string host, TimeSpan lease);
    /// <summary>Stores progress and extends the lease; false when the host should stop (cancelled, or the job is no longer its).</summary>
    Task<bool> HeartbeatAsync(string host, JobProgress progress, TimeSpan lease);
    Task SucceedAsync(string host, string result, string? plotHash);
    Task FailAsync(string host, string error);
    /// <summary>The host stopped the job because it was asked to: the job ends cancelled.</summary>
    Task AcknowledgeCancelAsync(string host);
    /// <summary>Cancels a queued job at once; asks a running one's host to stop. No effect on an ended job.</summary>
    Task<JobView> CancelAsync();
    Task<JobView?> GetAsync();
}
