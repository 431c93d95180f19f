using Orleans;

namespace Actors.Grains.Latents;

[GenerateSerializer, Alias("actors.LatentIndexState")]
public sealed class LatentIndexState
{
    [Id(0)] public Dictionary<int, LatentSummary> Latents { get; init; } = [];
}
