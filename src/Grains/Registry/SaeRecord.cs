namespace Actors.Grains.Registry;

/// <summary>Where an SAE reads CLIP: residual stream after block <paramref name="Layer"/>, which tokens ("all", "cls", "patches").</summary>
public sealed record HookSpec(int Layer, string Tokens);

/// <summary>A registered SAE: the model it reads, its hook, width, architecture ("topk", "relu", "jumprelu") and weights.</summary>
public sealed record SaeRecord(string ModelId, HookSpec Hook, int DSae, string Architecture, string WeightsPath);
