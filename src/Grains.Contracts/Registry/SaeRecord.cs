using Orleans;
namespace Actors.Grains.Registry;

/// <summary>
/// Where an SAE reads CLIP. <paramref name="Name"/> is the hook as the SAE's config (or the registration) names it:
/// <see cref="ImageEmbeds"/> is CLIP's image embedding (class token, LN_post, projection; one row per image), stored
/// as layer −1, tokens "cls". Any other name, or none — every record stored before the name was kept — is the
/// residual stream after block <paramref name="Layer"/>, reading <paramref name="Tokens"/> ("all", "cls", "patches").
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.HookSpec")]
public sealed record HookSpec([property: Id(0)] int Layer, [property: Id(1)] string Tokens, [property: Id(2)] string? Name = null)
{
    /// <summary>The image-embedding hook's name (SaeHookSpec.ImageEmbedsName; Hugging Face's field of get_image_features).</summary>
    public const string ImageEmbeds = "image_embeds";
}

/// <summary>
/// A registered SAE: the model it reads, its hook, width, architecture ("topk", "standard", "jumprelu") and weights.
/// <paramref name="Release"/> and <paramref name="K"/> are set for PyTorch .pt releases ("vit-prisma", "patchsae",
/// "attributing-clip"), whose files do not say how to read them.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SaeRecord")]
public sealed record SaeRecord([property: Id(0)] string ModelId, [property: Id(1)] HookSpec Hook, [property: Id(2)] int DSae, [property: Id(3)] string Architecture, [property: Id(4)] string WeightsPath,
    [property: Id(5)] string? Release = null, [property: Id(6)] int? K = null);
