namespace Actors.Sae.Evaluation;

/// <summary>What to do at the hooked layer when running the model: nothing, replace the activations by the SAE's
/// reconstruction x̂, or by zeros (zero ablation).</summary>
public enum HookEdit { None, SpliceSae, ZeroAblate }

/// <summary>The model's loss (e.g. CLIP's contrastive loss) and zero-shot accuracy under one edit.</summary>
public sealed record DownstreamMetrics(double Loss, double Accuracy);

public sealed record LossRecovered(DownstreamMetrics Original, DownstreamMetrics Sae, DownstreamMetrics ZeroAblation, double Fraction);

public static class DownstreamEvaluation
{
    /// <summary>
    /// "Loss recovered" (seed 001 App. 12.1 "CE Rec", Bloom 2024): (L_zero − L_sae) / (L_zero − L_orig) — 1 when the
    /// splice costs nothing, 0 when it is as bad as deleting the layer's output. <paramref name="runModel"/> runs the
    /// model over the evaluation set with the given edit at the hook and returns its loss and accuracy.
    /// </summary>
    public static LossRecovered Compute(Func<HookEdit, DownstreamMetrics> runModel)
    {
        var original = runModel(HookEdit.None);
        var sae = runModel(HookEdit.SpliceSae);
        var zero = runModel(HookEdit.ZeroAblate);
        double gap = zero.Loss - original.Loss;
        if (Math.Abs(gap) < 1e-12)
            throw new InvalidOperationException($"loss recovered is undefined: zero ablation loss {zero.Loss} equals the original loss {original.Loss}");
        return new LossRecovered(original, sae, zero, (zero.Loss - sae.Loss) / gap);
    }
}
