using Orleans;

namespace Actors.Grains.Evaluations;

[GenerateSerializer, Alias("actors.FailureModesState")]
public sealed class FailureModesState
{
    [Id(0)] public ClassFailureModes? Latest { get; set; }
}
