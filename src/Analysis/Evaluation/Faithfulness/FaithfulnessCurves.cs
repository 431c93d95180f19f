namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// Per-sample deletion and insertion curves (seed 000 Sec. 5.1, App. B.2): point i is the output y after the first i
/// latents of the sample's order were deleted (inserted), i = 0..steps. The score is the raw output the scorer
/// returns, not normalised by the unablated output (Fig. 3 plots y in percent). An order shorter than steps stops
/// changing the model after its last latent, so its curve repeats its last point.
/// </summary>
public static class FaithfulnessCurves
{
    /// <summary>Curves (samples, steps + 1); sample s is scored with deletedLatents = orders[s][..i].</summary>
    public static double[][] Deletion(IReadOnlyList<int[]> orders, DeletionScorer scorer, int steps) =>
        Trace(orders, steps, scorer.Invoke);

    /// <summary>Curves (samples, steps + 1); sample s is scored with only orders[s][..i] restored.</summary>
    public static double[][] Insertion(IReadOnlyList<int[]> orders, InsertionScorer scorer, int steps) =>
        Trace(orders, steps, scorer.Invoke);

    private static double[][] Trace(IReadOnlyList<int[]> orders, int steps, Func<int, ReadOnlySpan<int>, double> score)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var curves = new double[orders.Count][];
        for (int s = 0; s < curves.Length; s++)
        {
            var order = orders[s];
            var curve = curves[s] = new double[steps + 1];
            for (int i = 0; i <= steps; i++) curve[i] = score(s, order.AsSpan(0, Math.Min(i, order.Length)));
        }
        return curves;
    }
}
