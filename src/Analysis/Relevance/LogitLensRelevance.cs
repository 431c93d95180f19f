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
        var a = input.Decomposition.Activations;
        var lens = new Dictionary<int, double>();
        var relevance = new double[a.Values.Length];
        for (int e = 0; e < a.Values.Length; e++)
        {
            if (a.Values[e] == 0) continue;
            int j = a.Indices[e];
            if (!lens.TryGetValue(j, out double score)) lens[j] = score = input.Lens.Score(j, input.Text);
            relevance[e] = score;
        }
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, input.Decomposition, relevance, sumRows: false);
    }
}
