namespace Actors.Analysis.Relevance;

/// <summary>
/// Act×LogitLens, a seed 000 Sec. 5.1 baseline: R_j = a_j · LogitLens_j(t) (Eq. 3), which "mimicks Eq. (29) without the
/// local correction term" (App. B.2). Summed over rows; no bias or error term.
/// </summary>
public sealed class ActTimesLogitLens : ILatentRelevance
{
    public string Name => "Act×LogitLens";

    public LatentRelevance Attribute(AttributionInput input)
    {
        var relevance = LogitLensScores.PerEntry(input, timesActivation: true);
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, input.Decomposition, relevance);
    }
}
