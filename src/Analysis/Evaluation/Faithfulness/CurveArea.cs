namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>The area under a deletion or insertion curve (seed 000 Sec. 5.1 "AUC").</summary>
public static class CurveArea
{
    /// <summary>
    /// Trapezoid over x_i = i/(m − 1), m = curve length: Σ (y_i + y_{i+1}) / 2 · 1/(m − 1); or the mean of the points.
    /// </summary>
    public static double Of(ReadOnlySpan<double> curve, CurveAreaRule rule = CurveAreaRule.Trapezoid)
    {
        if (curve.Length < 2) throw new ArgumentException($"a curve needs at least two points, got {curve.Length}");
        double sum = 0;
        foreach (double y in curve) sum += y;
        return rule switch
        {
            CurveAreaRule.Trapezoid => (sum - 0.5 * (curve[0] + curve[^1])) / (curve.Length - 1),
            CurveAreaRule.MeanOfPoints => sum / curve.Length,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
    }
}
