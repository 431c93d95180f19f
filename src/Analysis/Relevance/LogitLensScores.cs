namespace Actors.Analysis.Relevance;

/// <summary>
/// LogitLens_j(t) (seed 000 Eq. 3) of each active entry's latent, computed once per latent: what both Logit Lens
/// baselines of Sec. 5.1 start from.
/// </summary>
internal static class LogitLensScores
{
    /// <summary>Per activation entry: the entry's activation (when <paramref name="timesActivation"/>) times its latent's Logit Lens score; 0 for inactive entries.</summary>
    public static double[] PerEntry(AttributionInput input, bool timesActivation)
    {
        var a = input.Decomposition.Activations;
        var lens = new Dictionary<int, double>();
        var relevance = new double[a.Values.Length];
        for (int e = 0; e < a.Values.Length; e++)
        {
            if (a.Values[e] == 0) continue;
            int j = a.Indices[e];
            if (!lens.TryGetValue(j, out double score)) lens[j] = score = input.Lens.Score(j, input.Text);
            relevance[e] = timesActivation ? a.Values[e] * score : score;
        }
        return relevance;
    }
}
