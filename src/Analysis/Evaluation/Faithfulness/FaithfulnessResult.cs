namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// One attribution method under one faithfulness setting. MeanCurve[i] is the output y averaged over samples after
/// i latents were deleted (inserted), i = 0..Steps, with CurveStandardError[i] its SEM across samples (seed 000
/// Fig. 7 error bars). Auc is the area of the mean curve; AucStandardError the SEM of SubsetAucs, the areas of the
/// subsets' mean curves (App. B.2 "Uncertainty Estimation").
/// </summary>
public sealed record FaithfulnessResult(
    string Method,
    FaithfulnessSetting Setting,
    int Samples,
    double[] MeanCurve,
    double[] CurveStandardError,
    double Auc,
    double AucStandardError,
    double[] SubsetAucs);
