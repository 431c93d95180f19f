namespace Actors.Analysis.Relevance;

/// <summary>
/// Integrated Gradients on the latent activations, a seed 000 Sec. 5.1 baseline (Sundararajan et al. 2017, [32], with
/// 10 steps, App. B.2): IG_j = a_j ∫₀¹ ∂y/∂a_j (α·a) dα, the path scaling every latent activation of the image at once
/// from the zero baseline (bias and error held: h(α) = α Σ a_j v_j + b + ε). ∂y/∂a_j = v_j · ∇_h y(h(α)).
/// Completeness: Σ_j IG_j → y(h) − y(h(0)) as the steps grow (reported as Score and Baseline). Each step is one
/// forward and backward through the rest of the tower.
/// </summary>
public sealed class IntegratedGradients(int steps = 10, IntegrationRule rule = IntegrationRule.RightRiemann) : ILatentRelevance
{
    public string Name => "Integrated Grad";
    public int Steps { get; } = steps > 0 ? steps : throw new ArgumentOutOfRangeException(nameof(steps), "at least one step");
    public IntegrationRule Rule { get; } = rule;

    public LatentRelevance Attribute(AttributionInput input)
    {
        var d = input.Decomposition;
        var a = d.Activations;
        var integral = new double[a.Values.Length];
        foreach (var (alpha, weight) in Nodes())
        {
            var g = input.Gradient.Evaluate(d.Image, d.ScaledRows(alpha), input.Text);
            for (int r = 0; r < d.RowCount; r++)
                for (int e = a.RowStart[r]; e < a.RowStart[r + 1]; e++)
                    integral[e] += weight * d.FeatureDot(a.Indices[e], g.Row(r));
        }
        for (int e = 0; e < integral.Length; e++) integral[e] *= a.Values[e];
        double baseline = input.Gradient.Score(d.Image, d.ScaledRows(0), input.Text);
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, d, integral, baseline: baseline);
    }

    /// <summary>The quadrature nodes α_k and weights of <see cref="Rule"/>.</summary>
    public IEnumerable<(double Alpha, double Weight)> Nodes()
    {
        int m = Steps;
        if (Rule == IntegrationRule.RightRiemann)
            for (int k = 1; k <= m; k++) yield return ((double)k / m, 1.0 / m);
        else
            for (int k = 0; k <= m; k++) yield return ((double)k / m, (k == 0 || k == m ? 0.5 : 1.0) / m);
    }
}
