namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// Seed 000 App. D.1: non-class samples count as high-confidence above mean − 1.5 sd of the class's own outputs;
/// a latent is flagged at z > 3 on at least 10 of them where it is active.
/// </summary>
public sealed record FailureDetectionOptions(double ScoreMargin = 1.5, double ZThreshold = 3.0, int MinActiveSamples = 10)
{
    public static FailureDetectionOptions Default { get; } = new();
}
