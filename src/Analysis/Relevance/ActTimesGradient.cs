namespace Actors.Analysis.Relevance;

/// <summary>
/// Act×Grad, seed 000's method (Eq. 5, 11, 29): R_j = a_j ∂y/∂a_j = a_j (v_j · ∇_h y), summed over the hooked rows;
/// the bias term b·∇_h y and the error term ε·∇_h y are components of their own (App. B.1, Eq. 17).
/// Because h = Σ a_j v_j + b + ε, all components together are h·∇_h y (first order, exact). Where y ignores the scale
/// of h that sum is 0 (Euler: y(c·h) = y(h) ⇒ h·∇y = 0), so the latents' relevances sum to −(bias + error): at the
/// image embedding, and at the class token after the last block, since LN_post(c·h) = LN_post(h) whatever its β
/// (up to LayerNorm's ε). After an earlier block the later blocks break the invariance and the sum is not 0.
/// </summary>
public sealed class ActTimesGradient : ILatentRelevance
{
    public string Name => "Act×Grad";

    public LatentRelevance Attribute(AttributionInput input)
    {
        var d = input.Decomposition;
        var g = input.AtImage;
        var a = d.Activations;
        var relevance = new double[a.Values.Length];
        double bias = 0, error = 0;
        for (int r = 0; r < d.RowCount; r++)
        {
            var gr = g.Row(r);
            for (int e = a.RowStart[r]; e < a.RowStart[r + 1]; e++)
                relevance[e] = a.Values[e] * d.FeatureDot(a.Indices[e], gr);
            bias += Dot(d.Bias, gr);
            error += Dot(d.Error.AsSpan(r * d.Width, d.Width), gr);
        }
        return LatentRelevance.FromEntries(Name, g.Score, d, relevance, bias, error);
    }

    internal static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
