using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>What a host got when it asked to run a job: the spec and attempt number, or the reason it may not.</summary>
[GenerateSerializer, Immutable, Alias("actors.JobClaim")]
public sealed record JobClaim([property: Id(0)] bool Granted, [property: Id(1)] JobSpec? Spec, [property: Id(2)] int Attempt,
    [property: Id(3)] string? Refusal);
