using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>
/// Durable state of one job. A running job is held by one host under a lease that its heartbeats extend; a job whose
/// lease ran out (its host died) is claimable again, so it resumes instead of staying "running" forever.
/// </summary>
[GenerateSerializer, Alias("actors.JobState")]
public sealed class JobState
{
    [Id(0)] public JobSpec? Spec { get; set; }
    [Id(1)] public JobStatus Status { get; set; }
    [Id(2)] public JobProgress Progress { get; set; } = JobProgress.None;
    /// <summary>The handler's result as JSON (set when succeeded).</summary>
    [Id(3)] public string? Result { get; set; }
    /// <summary>Content hash of a PNG plot of the result in the blob store, when the kind draws one.</summary>
    [Id(4)] public string? PlotHash { get; set; }
    [Id(5)] public string? Error { get; set; }
    [Id(6)] public DateTimeOffset SubmittedAt { get; set; }
    [Id(7)] public DateTimeOffset? StartedAt { get; set; }
    [Id(8)] public DateTimeOffset? EndedAt { get; set; }
    /// <summary>How many times a host has claimed it (more than 1: it was resumed after a host stopped).</summary>
    [Id(9)] public int Attempts { get; set; }
    [Id(10)] public string? Host { get; set; }
    [Id(11)] public DateTimeOffset LeaseUntil { get; set; }
    [Id(12)] public bool CancelRequested { get; set; }
}
