namespace Actors.Analysis.Evaluation.Probing;

/// <summary>
/// Seed 000 Sec. 5.3, App. D.2, for one class, one failure mode and one prober (a text prompt or a linear probe):
/// SpuriousAuc separates the class's true samples from the failure mode's distractors, ValidAuc separates them from
/// all other non-class samples. Ideally both are high.
/// </summary>
public sealed record FailureModeAuc(double SpuriousAuc, double ValidAuc)
{
    /// <param name="classScores">the prober's output on true samples of the class (the positives of both AUROCs)</param>
    /// <param name="spuriousScores">its output on the failure mode's distractors</param>
    /// <param name="nonClassScores">its output on the other non-class samples</param>
    public static FailureModeAuc Evaluate(ReadOnlySpan<double> classScores, ReadOnlySpan<double> spuriousScores, ReadOnlySpan<double> nonClassScores) =>
        new(Auroc.Compute(classScores, spuriousScores), Auroc.Compute(classScores, nonClassScores));
}
