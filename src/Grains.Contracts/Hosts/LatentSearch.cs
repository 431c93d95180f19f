using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// One latent found by a text query: its semantic alignment s_j(t) to the query (seed 000 Eq. 2: cosine of the mean
/// reference-image embedding x̄_j with the text, minus its cosine with the empty prompt), that first cosine alone, and
/// how many of its reference images x̄_j averaged.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSearchHit")]
public sealed record LatentSearchHit([property: Id(0)] int Latent, [property: Id(1)] double Alignment, [property: Id(2)] double Cosine,
    [property: Id(3)] int References);

/// <summary>
/// Latents of an SAE ranked by their alignment to a free text, best first. <see cref="LatentsSearched"/> latents had
/// reference images; <see cref="ImagesUnreadable"/> of their distinct reference images could not be read from their
/// corpus and were left out of the means.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSearchResult")]
public sealed record LatentSearchResult([property: Id(0)] string SaeId, [property: Id(1)] string Text, [property: Id(2)] string ModelId,
    [property: Id(3)] int LatentsSearched, [property: Id(4)] int ImagesEmbedded, [property: Id(5)] int ImagesUnreadable,
    [property: Id(6)] LatentSearchHit[] Hits);
