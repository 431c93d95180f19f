namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// A latent the class relies on more than expected (seed 000 Sec. 4.2b, App. D.1): the high-confidence non-class
/// samples on which it is active with z > threshold, their z-scores (same order), and the reference moments the
/// z-scores came from (ReferenceNonzeroCount: on how many class samples it was active).
/// </summary>
public sealed record FlaggedLatent(
    int Latent,
    int[] Samples,
    double[] ZScores,
    double ReferenceMean,
    double ReferenceStandardDeviation,
    long ReferenceNonzeroCount);
