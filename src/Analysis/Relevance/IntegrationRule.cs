namespace Actors.Analysis.Relevance;

/// <summary>How Integrated Gradients approximates ∫₀¹ ∂y/∂a_j(α·a) dα with m steps.</summary>
public enum IntegrationRule
{
    /// <summary>(1/m) Σ_{k=1..m} f(k/m): Sundararajan et al. 2017 Eq. 3, the form seed 000 cites ([32]).</summary>
    RightRiemann,
    /// <summary>(1/m) [f(0)/2 + Σ_{k=1..m−1} f(k/m) + f(1)/2]: m + 1 gradient evaluations, error O(1/m²).</summary>
    Trapezoid,
}
