using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>A job as the progress resource shows it (GET /api/jobs/{id}); a plot, when there is one, is at /api/jobs/{id}/plot.</summary>
[GenerateSerializer, Immutable, Alias("actors.JobView")]
public sealed record JobView([property: Id(0)] string JobId, [property: Id(1)] string Kind, [property: Id(2)] string? Subject,
    [property: Id(3)] JobStatus Status, [property: Id(4)] JobProgress Progress, [property: Id(5)] string Parameters,
    [property: Id(6)] string? Result, [property: Id(7)] string? PlotHash, [property: Id(8)] string? Error,
    [property: Id(9)] DateTimeOffset SubmittedAt, [property: Id(10)] DateTimeOffset? StartedAt, [property: Id(11)] DateTimeOffset? EndedAt,
    [property: Id(12)] int Attempts, [property: Id(13)] string? Host, [property: Id(14)] bool CancelRequested);

/// <summary>One line of the job listing.</summary>
[GenerateSerializer, Immutable, Alias("actors.JobSummary")]
public sealed record JobSummary([property: Id(0)] string JobId, [property: Id(1)] string Kind, [property: Id(2)] string? Subject,
    [property: Id(3)] JobStatus Status, [property: Id(4)] DateTimeOffset SubmittedAt);
