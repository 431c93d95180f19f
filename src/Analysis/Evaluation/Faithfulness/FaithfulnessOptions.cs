namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// Seed 000 App. B.2: the 10 most relevant latents are deleted (inserted) one at a time, and the AUC's uncertainty is
/// the SEM over 9 subsets of the evaluation samples.
/// </summary>
public sealed record FaithfulnessOptions(int Steps = 10, int Subsets = 9, CurveAreaRule AreaRule = CurveAreaRule.Trapezoid)
{
    public static FaithfulnessOptions Default { get; } = new();
}
