namespace Actors.Api.Contracts;

// Every field is nullable so that a missing one is answered with a 400 naming it rather than a binding failure.

/// <summary>An image of a registered corpus by its id there.</summary>
public sealed record SteeringImageRequest(string? CorpusId, string? ImageId);

/// <summary>One latent edit on every hooked row: <paramref name="Op"/> "set", "scale" or "add" with <paramref name="Value"/>.</summary>
public sealed record SteeringInterventionRequest(int? Latent, string? Op, float? Value);

/// <summary>Steer at most 16 images (synchronously) and show the <paramref name="Top"/> concepts (default 5) of the vocabulary before and after.</summary>
public sealed record SteeringRequest(SteeringImageRequest[]? Images, SteeringInterventionRequest[]? Interventions, string? VocabularyId, int? Top = null);

/// <summary>Job "steering-sweep": the latent set to each strength on the corpus's first <paramref name="MaxImages"/> images (default 32).</summary>
public sealed record SteeringSweepRequest(int? Latent, string? CorpusId, string? VocabularyId, double[]? Strengths, int? MaxImages = null);

/// <summary>Job "steerability": S, #S and #C (seed 001 Eq. 6-8) over all latents or a seeded sample.</summary>
public sealed record SteerabilityRequest(string? CorpusId, string? VocabularyId, double? Strength, int? Sample = null,
    double? Gamma = null, double? Beta = null, ulong? Seed = null, int? MaxImages = null);

/// <summary>Job "suppression": seed 001 Sec. 7.1 on a labelled corpus with groups from its fields.</summary>
public sealed record SuppressionRequest(string? AttributeCorpusId, string? ContrastCorpusId, double? Tau, double? Lambda,
    string? EvalCorpusId, string? VocabularyId, string[]? GroupBy, int? MaxImages = null);

/// <summary>Job "typographic-defence": seed 001 Sec. 7.2 on pairs of images with and without written words.</summary>
public sealed record TypographicDefenceRequest(string? WordsCorpusId, string? CleanCorpusId, double? Tau, double? Lambda, string? VocabularyId,
    string? EvalWordsCorpusId = null, string? EvalCleanCorpusId = null, int? MaxImages = null);
