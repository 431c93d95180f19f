using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// How often a latent fired: tokens with a positive activation and images with at least one such token.
/// The denominators (tokens and images seen) are properties of the whole ingestion, not of one latent —
/// a latent receives no delta for a batch in which it never fired — so they live in <see cref="IngestTotals"/>
/// and frequency is computed against them (seed 002 Sec. 3.2 "activated frequency": images with a positive
/// activation ÷ images seen).
/// </summary>
[GenerateSerializer, Alias("actors.FiringStats")]
public readonly record struct FiringStats([property: Id(0)] long FiringTokens, [property: Id(1)] long FiringImages)
{
    public static FiringStats Merge(in FiringStats a, in FiringStats b) =>
        new(a.FiringTokens + b.FiringTokens, a.FiringImages + b.FiringImages);

    public double TokenFrequency(long tokensSeen) => tokensSeen > 0 ? (double)FiringTokens / tokensSeen : 0;
    public double ImageFrequency(long imagesSeen) => imagesSeen > 0 ? (double)FiringImages / imagesSeen : 0;
}
