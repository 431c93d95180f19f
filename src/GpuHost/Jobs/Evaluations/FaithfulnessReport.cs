using Actors.Analysis.Evaluation.Faithfulness;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 Sec. 5.1 / App. B.2 over one labelled image set: per method, the local-deletion, global-deletion,
/// local-insertion and random-reference-deletion curves of the output y (cosine of image and class prompt, not in
/// percent) over the first Steps latents, with their AUCs (trapezoid over the step fraction) and the AUCs' SEM over
/// Subsets subsets. RandomReferenceImages are the images the random-reference orders were estimated on.
/// </summary>
public sealed record FaithfulnessReport(int Samples, int Classes, int Steps, int Subsets, string AreaRule, MethodFaithfulness[] Methods,
    string[] SkippedImages, string[] RandomReferenceImages);

/// <summary>One method's four curves (seed 000 Fig. 3 left, middle, right; Fig. 8).</summary>
public sealed record MethodFaithfulness(string Method, string Label, FaithfulnessCurve LocalDeletion, FaithfulnessCurve GlobalDeletion,
    FaithfulnessCurve LocalInsertion, FaithfulnessCurve RandomDeletion);

/// <summary>Mean curve (Steps + 1 points), its per-point SEM across samples, its area and the area's SEM over the subsets.</summary>
public sealed record FaithfulnessCurve(double[] Mean, double[] StandardError, double Auc, double AucStandardError, double[] SubsetAucs)
{
    public static FaithfulnessCurve From(FaithfulnessResult r) =>
        new(r.MeanCurve, r.CurveStandardError, r.Auc, r.AucStandardError, r.SubsetAucs);
}
