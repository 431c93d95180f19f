using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>Where a job is: waiting for a host, running on one, or ended (succeeded, failed, cancelled).</summary>
[GenerateSerializer, Alias("actors.JobStatus")]
public enum JobStatus { Queued, Running, Succeeded, Failed, Cancelled }

public static class JobStatusExtensions
{
    public static bool IsEnded(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}
