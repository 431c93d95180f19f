namespace Actors.Analysis.Evaluation.Probing;

/// <summary>
/// L2 is λ in J(w, b) = (1/n)·Σ log-loss + (λ/2)·‖w‖² (the bias is not penalised); scikit-learn's C corresponds to
/// λ = 1/(C·n). Training stops when the gradient's max-norm is below GradientTolerance.
/// </summary>
public sealed record LogisticProbeOptions(double L2 = 1e-3, int MaxIterations = 100, double GradientTolerance = 1e-9)
{
    public static LogisticProbeOptions Default { get; } = new();
}
