namespace Actors.Grains.Registry;

/// <summary>Where an SAE reads CLIP: residual stream after block <paramref name="Layer"/>, which tokens ("all", "cls", "patches").</summary>
public sealed record HookSpec(int Layer, string Tokens);

/// <summary>
/// A registered SAE: the model it reads, its hook, width, architecture ("topk", "standard", "jumprelu") and weights.
/// <paramref name="Release"/> and <paramref name="K"/> are set for PyTorch .pt releases ("vit-prisma", "patchsae",
/// "attributing-clip"), whose files do not say how to read them.
/// </summary>
public sealed record SaeRecord(string ModelId, HookSpec Hook, int DSae, string Architecture, string WeightsPath,
    string? Release = null, int? K = null);
