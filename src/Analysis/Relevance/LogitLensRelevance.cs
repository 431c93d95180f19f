namespace Actors.Analysis.Relevance;

/// <summary>
/// LogitLens, a seed 000 Sec. 5.1 baseline: each active latent scores LogitLens_j(t) (Eq. 3), the alignment of its
/// projected feature vector with the prompt — global, blind to the activation. Reported per latent, not summed over rows.
/// </summary>
public sealed class LogitLensRelevance : ILatentRelevance
{
    public string Name => "LogitLens";

    public LatentRelevance Attribute(AttributionInput input)
    {
        var relevance = LogitLensScores.PerEntry(input, timesActivation: false);
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, input.Decomposition, relevance, sumRows: false);
    }
}
