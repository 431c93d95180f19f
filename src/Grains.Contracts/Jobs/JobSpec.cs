using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>
/// What to run: a kind that a host has a handler for (e.g. "faithfulness", "failure-detection") and its parameters
/// as JSON, which the kind's handler reads into its own typed record. <see cref="Subject"/> names what the job is
/// about (an SAE, a corpus) for listings.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.JobSpec")]
public sealed record JobSpec([property: Id(0)] string Kind, [property: Id(1)] string Parameters, [property: Id(2)] string? Subject = null);
