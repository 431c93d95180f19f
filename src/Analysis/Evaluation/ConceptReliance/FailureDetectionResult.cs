namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// Failure detection for one class: the output bar, the high-confidence non-class samples (in input order), and the
/// flagged latents, most failure samples first (ties: lower latent index first).
/// </summary>
public sealed record FailureDetectionResult(
    int ClassId,
    double ScoreThreshold,
    HighConfidenceSample[] HighConfidence,
    FlaggedLatent[] Flagged);
