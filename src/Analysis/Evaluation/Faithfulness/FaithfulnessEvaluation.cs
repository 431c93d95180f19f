using Actors.Analysis.Evaluation.Statistics;

namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// Seed 000 Sec. 5.1 / App. B.2 for one attribution method: per-sample curves over the first Steps (10) latents,
/// their mean curve and its area, and the area's SEM over Subsets (9) subsets. Subset k holds the samples whose index
/// is k modulo Subsets, so with samples laid out class after class every subset spans all classes; sizes differ by
/// at most one when the sample count is not a multiple (the paper's 5,000 samples are not a multiple of 9).
/// </summary>
public static class FaithfulnessEvaluation
{
    /// <summary>Local deletion: each sample's own most relevant latents zeroed one by one.</summary>
    public static FaithfulnessResult LocalDeletion(string method, IReadOnlyList<float[]> relevance, DeletionScorer scorer,
        FaithfulnessOptions? options = null)
    {
        options ??= FaithfulnessOptions.Default;
        var curves = FaithfulnessCurves.Deletion(LatentOrdering.Local(relevance, options.Steps), scorer, options.Steps);
        return Summarise(method, FaithfulnessSetting.LocalDeletion, curves, options);
    }

    /// <summary>Global deletion: the latents of largest mean relevance over the sample's class zeroed one by one.</summary>
    public static FaithfulnessResult GlobalDeletion(string method, IReadOnlyList<float[]> relevance, IReadOnlyList<int> classOf,
        DeletionScorer scorer, FaithfulnessOptions? options = null)
    {
        options ??= FaithfulnessOptions.Default;
        var orders = LatentOrdering.GlobalPerClass(relevance, classOf, options.Steps);
        return Summarise(method, FaithfulnessSetting.GlobalDeletion, FaithfulnessCurves.Deletion(orders, scorer, options.Steps), options);
    }

    /// <summary>
    /// Random-reference deletion (App. B.2 "Deletion (random)", Fig. 8): like global deletion, but the mean relevance
    /// that orders class c's latents is taken over <paramref name="referenceRelevanceOf"/>(c), the relevance for c's
    /// prompt on reference images drawn at random from the corpus (any class), not over c's own samples.
    /// </summary>
    public static FaithfulnessResult RandomDeletion(string method, Func<int, IEnumerable<float[]>> referenceRelevanceOf,
        IReadOnlyList<int> classOf, DeletionScorer scorer, FaithfulnessOptions? options = null)
    {
        options ??= FaithfulnessOptions.Default;
        var orders = LatentOrdering.PerClassReferences(referenceRelevanceOf, classOf, options.Steps);
        return Summarise(method, FaithfulnessSetting.RandomDeletion, FaithfulnessCurves.Deletion(orders, scorer, options.Steps), options);
    }

    /// <summary>Local insertion: from all latents ablated, each sample's most relevant latents restored one by one.</summary>
    public static FaithfulnessResult LocalInsertion(string method, IReadOnlyList<float[]> relevance, InsertionScorer scorer,
        FaithfulnessOptions? options = null)
    {
        options ??= FaithfulnessOptions.Default;
        var curves = FaithfulnessCurves.Insertion(LatentOrdering.Local(relevance, options.Steps), scorer, options.Steps);
        return Summarise(method, FaithfulnessSetting.LocalInsertion, curves, options);
    }

    /// <summary>
    /// Mean curve, per-step SEM, AUC of the mean curve (equal to the mean of per-sample AUCs: the area is linear) and
    /// the SEM of the subsets' AUCs. For orders built elsewhere trace the curves with <see cref="FaithfulnessCurves"/>
    /// and summarise them here.
    /// </summary>
    public static FaithfulnessResult Summarise(string method, FaithfulnessSetting setting, IReadOnlyList<double[]> curves,
        FaithfulnessOptions? options = null)
    {
        options ??= FaithfulnessOptions.Default;
        int n = curves.Count, points = options.Steps + 1;
        if (options.Subsets < 2) throw new ArgumentException($"the SEM needs at least two subsets, got {options.Subsets}");
        if (n < options.Subsets) throw new ArgumentException($"{n} samples cannot fill {options.Subsets} subsets");
        foreach (var c in curves)
            if (c.Length != points) throw new ArgumentException($"a curve has {c.Length} points, expected steps + 1 = {points}");

        var mean = new double[points];
        var error = new double[points];
        var column = new double[n];
        for (int i = 0; i < points; i++)
        {
            for (int s = 0; s < n; s++) column[s] = curves[s][i];
            var m = MeanWithError.Of(column);
            mean[i] = m.Mean; error[i] = m.StandardError;
        }

        var subsetAucs = new double[options.Subsets];
        var subsetCurve = new double[points];
        for (int k = 0; k < options.Subsets; k++)
        {
            Array.Clear(subsetCurve);
            int size = 0;
            for (int s = k; s < n; s += options.Subsets, size++)
                for (int i = 0; i < points; i++) subsetCurve[i] += curves[s][i];
            for (int i = 0; i < points; i++) subsetCurve[i] /= size;
            subsetAucs[k] = CurveArea.Of(subsetCurve, options.AreaRule);
        }
        double auc = CurveArea.Of(mean, options.AreaRule);
        return new FaithfulnessResult(method, setting, n, mean, error, auc, MeanWithError.Of(subsetAucs).StandardError, subsetAucs);
    }
}
