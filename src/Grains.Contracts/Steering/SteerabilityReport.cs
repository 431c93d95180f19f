using Orleans;

namespace Actors.Grains.Steering;

/// <summary>A latent's S_f at the report's strength and the concept it promotes most.</summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSteerability")]
public sealed record LatentSteerability([property: Id(0)] int Latent, [property: Id(1)] double Steerability, [property: Id(2)] string PromotedConcept);

/// <summary>
/// An SAE layer's steerability (seed 001 Sec. 6.1.2) over <paramref name="LatentsSampled"/> of its
/// <paramref name="LatentsTotal"/> latents, each set to <paramref name="Strength"/> on the first
/// <paramref name="Images"/> images of a corpus: S (Eq. 6), #S with γ as a proportion and a count (Eq. 7), #C with β
/// (Eq. 8, a count of latents) and the distinct concepts those latents promote, the histogram of S_f (bin edges and
/// counts) and the most steerable latents, best first.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SteerabilityReport")]
public sealed record SteerabilityReport(
    [property: Id(0)] string VocabularyId, [property: Id(1)] string CorpusId, [property: Id(2)] double Strength,
    [property: Id(3)] double Gamma, [property: Id(4)] double Beta, [property: Id(5)] ulong Seed,
    [property: Id(6)] int LatentsSampled, [property: Id(7)] int LatentsTotal, [property: Id(8)] int Images,
    [property: Id(9)] double MeanSteerability, [property: Id(10)] double SteerableFraction, [property: Id(11)] int SteerableCount,
    [property: Id(12)] int ConceptCoverage, [property: Id(13)] int ConceptsCovered,
    [property: Id(14)] double[] HistogramEdges, [property: Id(15)] long[] HistogramCounts,
    [property: Id(16)] LatentSteerability[] MostSteerable, [property: Id(17)] string JobId, [property: Id(18)] DateTimeOffset CompletedAt);
