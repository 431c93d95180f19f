using Orleans;

namespace Actors.Grains.Steering;

/// <summary>A concept's mean probability change (1/|I|) Σ_i (P̃_i − P_i)(v); its absolute value is ΔP_f at v (seed 001 Eq. 4).</summary>
[GenerateSerializer, Immutable, Alias("actors.ConceptShift")]
public sealed record ConceptShift([property: Id(0)] string Concept, [property: Id(1)] double Change);

/// <summary>
/// One strength s of a sweep (the latent set to s on every hooked row): S_f (Eq. 5, summed over the vocabulary),
/// D_f (Eq. 10-11), the concepts with the largest ΔP_f (Eq. 4) and the largest mean steered probability P(v|f).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SteeringSweepPoint")]
public sealed record SteeringSweepPoint([property: Id(0)] double Strength, [property: Id(1)] double Steerability,
    [property: Id(2)] double ConceptDistance, [property: Id(3)] ConceptShift[] TopShifts, [property: Id(4)] ConceptProbability[] TopSteered);

/// <summary>A latent's steering-strength sweep over the first <paramref name="Images"/> images of a corpus (seed 001 Sec. 6.1, Fig. 5).</summary>
[GenerateSerializer, Immutable, Alias("actors.SteeringSweep")]
public sealed record SteeringSweep([property: Id(0)] string VocabularyId, [property: Id(1)] string CorpusId, [property: Id(2)] int Images,
    [property: Id(3)] SteeringSweepPoint[] Points, [property: Id(4)] string JobId, [property: Id(5)] DateTimeOffset CompletedAt);
