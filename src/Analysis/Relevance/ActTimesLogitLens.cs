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
        var a = input.Decomposition.Activations;
        var lens = new Dictionary<int, double>();
        var relevance = new double[a.Values.Length];
        for (int e = 0; e < a.Values.Length; e++)
        {
            if (a.Values[e] == 0) continue;
            int j = a.Indices[e];
            if (!lens.TryGetValue(j, out double score)) lens[j] = score = input.Lens.Score(j, input.Text);
            relevance[e] = a.Values[e] * score;
        }
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, input.Decomposition, relevance);
    }
}
