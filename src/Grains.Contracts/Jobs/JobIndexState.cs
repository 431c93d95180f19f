using Orleans;

namespace Actors.Grains.Jobs;

[GenerateSerializer, Alias("actors.JobIndexState")]
public sealed class JobIndexState
{
    [Id(0)] public Dictionary<string, JobSummary> Jobs { get; init; } = [];
}
