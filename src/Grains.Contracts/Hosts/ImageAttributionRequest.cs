using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// Which image to attribute: an ingested one (<paramref name="CorpusId"/> and <paramref name="ImageId"/>, read from the
/// corpus's source) or encoded PNG/JPEG <paramref name="Bytes"/> — exactly one of the two.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.AttributionImage")]
public sealed record AttributionImage([property: Id(0)] string? CorpusId, [property: Id(1)] string? ImageId, [property: Id(2)] byte[]? Bytes);

/// <summary>
/// Attribute an image and a prompt through SAE <paramref name="SaeId"/> (seed 000 Sec. 4.1): the prompt is
/// <paramref name="Text"/>, embedded by the SAE's model's text tower as written, or a text embedding already made
/// (<paramref name="TextEmbedding"/>, e.g. a concept's) — exactly one. <paramref name="Methods"/> are names of
/// <see cref="AttributionMethods"/> (empty: every method the hook supports); each reports its <paramref name="Top"/>
/// most relevant latents and their patch heatmaps. <paramref name="Seed"/> seeds the random baseline.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ImageAttributionRequest")]
public sealed record ImageAttributionRequest([property: Id(0)] string SaeId, [property: Id(1)] AttributionImage Image,
    [property: Id(2)] string? Text, [property: Id(3)] float[]? TextEmbedding, [property: Id(4)] string[] Methods,
    [property: Id(5)] int Top, [property: Id(6)] ulong Seed = 0);
