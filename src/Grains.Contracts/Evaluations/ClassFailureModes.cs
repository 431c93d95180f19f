using Orleans;

namespace Actors.Grains.Evaluations;

/// <summary>
/// Failure detection for one class of one SAE (seed 000 Sec. 4.2, Eq. 7-8, App. D.1), as the "failure-detection" job
/// found it: the class's reference outputs and the high-confidence bar (mean − margin·sd of y(x, t_class) over its own
/// samples), the non-class samples above it, the latents flagged on them (z &gt; threshold on at least MinSamples of
/// them), the near misses (fewer such samples), and the hidden concepts (Eq. 7: mean relevance ≥ τ_rel, alignment ≤ τ_align).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ClassFailureModes")]
public sealed record ClassFailureModes(
    [property: Id(0)] string SaeId,
    [property: Id(1)] string ClassLabel,
    [property: Id(2)] string CorpusId,
    [property: Id(3)] string ReferenceCorpusId,
    [property: Id(4)] string? JobId,
    [property: Id(5)] int ReferenceSamples,
    [property: Id(6)] double ReferenceMeanScore,
    [property: Id(7)] double ReferenceScoreStdDev,
    [property: Id(8)] double ScoreThreshold,
    [property: Id(9)] int Candidates,
    [property: Id(10)] HighConfidenceImage[] HighConfidence,
    [property: Id(11)] FailureModeLatent[] Flagged,
    [property: Id(12)] FailureModeLatent[] NearMisses,
    [property: Id(13)] HiddenConcept[] HiddenConcepts,
    [property: Id(14)] FailureDetectionThresholds Thresholds,
    [property: Id(15)] DateTimeOffset ComputedAt);

/// <summary>App. D.1's numbers (1.5, 3.0, 10) and Eq. 7's τ_rel, τ_align, as the run used them.</summary>
[GenerateSerializer, Immutable, Alias("actors.FailureDetectionThresholds")]
public sealed record FailureDetectionThresholds([property: Id(0)] double ScoreMargin, [property: Id(1)] double ZThreshold,
    [property: Id(2)] int MinSamples, [property: Id(3)] double RelevanceThreshold, [property: Id(4)] double AlignmentThreshold);

/// <summary>A non-class image whose output y(x, t_class) cleared the class's high-confidence bar.</summary>
[GenerateSerializer, Immutable, Alias("actors.HighConfidenceImage")]
public sealed record HighConfidenceImage([property: Id(0)] string ImageId, [property: Id(1)] string Label, [property: Id(2)] double Score);

/// <summary>
/// A latent with unexpectedly high relevance on high-confidence non-class images: those images (z &gt; threshold) and the
/// class's reference moments of its relevance (μ_j, σ̂_j of Eq. 8; on how many class samples it was active).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.FailureModeLatent")]
public sealed record FailureModeLatent([property: Id(0)] int Latent, [property: Id(1)] FailureSample[] Samples,
    [property: Id(2)] double ReferenceMean, [property: Id(3)] double ReferenceStdDev, [property: Id(4)] long ReferenceNonzero);

/// <summary>
/// One image on which a latent's relevance R_j(x, t_class) stood out; <paramref name="ZScore"/> is Eq. 8, null where the
/// class's relevance never varied (σ̂ = 0), which makes any other value infinitely unexpected.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.FailureSample")]
public sealed record FailureSample([property: Id(0)] string ImageId, [property: Id(1)] string Label, [property: Id(2)] double Score,
    [property: Id(3)] double Relevance, [property: Id(4)] double? ZScore);

/// <summary>Seed 000 Eq. 7 for the class: the latent's mean relevance over the class's samples and its alignment s_j(t_class) (Eq. 2).</summary>
[GenerateSerializer, Immutable, Alias("actors.HiddenConcept")]
public sealed record HiddenConcept([property: Id(0)] int Latent, [property: Id(1)] double MeanRelevance, [property: Id(2)] double Alignment);
