using Actors.Grains.Registry;
using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// An SAE checkpoint as its host read it: the full path of its weights, the width it reads (<paramref name="DIn"/>)
/// and its latent count, its architecture ("topk", "standard", "jumprelu") and the hook its own config names, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SaeCheckpoint")]
public sealed record SaeCheckpoint([property: Id(0)] string WeightsPath, [property: Id(1)] int DIn, [property: Id(2)] int DSae,
    [property: Id(3)] string Architecture, [property: Id(4)] HookSpec? Hook);
