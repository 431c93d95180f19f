using Orleans;
namespace Actors.Grains.Registry;

/// <summary>Where an SAE reads CLIP: residual stream after block <paramref name="Layer"/>, which tokens ("all", "cls", "patches").</summary>
[GenerateSerializer, Immutable, Alias("actors.HookSpec")]
public sealed record HookSpec([property: Id(0)] int Layer, [property: Id(1)] string Tokens);

/// <summary>
/// A registered SAE: the model it reads, its hook, width, architecture ("topk", "standard", "jumprelu") and weights.
/// <paramref name="Release"/> and <paramref name="K"/> are set for PyTorch .pt releases ("vit-prisma", "patchsae",
/// "attributing-clip"), whose files do not say how to read them.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SaeRecord")]
public sealed record SaeRecord([property: Id(0)] string ModelId, [property: Id(1)] HookSpec Hook, [property: Id(2)] int DSae, [property: Id(3)] string Architecture, [property: Id(4)] string WeightsPath,
    [property: Id(5)] string? Release = null, [property: Id(6)] int? K = null);
