namespace Actors.Analysis.Relevance;

/// <summary>
/// Energy, a seed 000 Sec. 5.1 baseline (after [48]): R_j = a_j ‖v_j‖, "activation a_j times the norm of v_j"
/// (= a_j for unit decoder rows, Eq. 9). Prompt-independent; summed over rows.
/// </summary>
public sealed class EnergyRelevance : ILatentRelevance
{
    public string Name => "Energy";

    public LatentRelevance Attribute(AttributionInput input)
    {
        var d = input.Decomposition;
        var a = d.Activations;
        var relevance = new double[a.Values.Length];
        for (int e = 0; e < a.Values.Length; e++) relevance[e] = a.Values[e] * d.FeatureNorm(a.Indices[e]);
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, d, relevance);
    }
}
