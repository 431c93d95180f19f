using Actors.Analysis.Relevance;
using Actors.Grains.Hosts;
using Actors.Sae;

namespace Actors.GpuHost.Analysis;

/// <summary>The <see cref="ILatentRelevance"/> behind each of <see cref="AttributionMethods"/>' names, for one SAE.</summary>
public static class RelevanceMethods
{
    /// <summary>Why the method cannot run at this SAE's hook, or null when it can: Eq. 31 holds only where the output is
    /// one LayerNorm and a projection away (seed 000 App. B.1).</summary>
    public static string? Unsupported(string method, AnalysisTarget target)
    {
        var hook = target.Hook;
        bool closedForm = hook.Site == HookSite.ImageEmbedding
            || (hook.Tokens == TokenSelection.Cls && hook.Layer == target.ModelRecord.VisionLayers - 1);
        return method == AttributionMethods.ActTimesGradientClosedForm && !closedForm
            ? $"Eq. 31 holds at the image embedding or the class token after the last block; hook {hook.HookName} " +
              $"({hook.Tokens.ToString().ToLowerInvariant()} tokens after block {hook.Layer} of {target.ModelRecord.VisionLayers}) is neither"
            : null;
    }

    /// <summary>The method of that name; Integrated Gradients with 10 steps (seed 000 App. B.2), random seeded by <paramref name="seed"/>.</summary>
    public static ILatentRelevance Create(string method, AnalysisTarget target, ulong seed) => method switch
    {
        AttributionMethods.ActTimesGradient => new ActTimesGradient(),
        AttributionMethods.ActTimesGradientClosedForm => new ActTimesGradientClosedForm(target.Model.Weights.Vision),
        AttributionMethods.ActTimesLogitLens => new ActTimesLogitLens(),
        AttributionMethods.LogitLens => new LogitLensRelevance(),
        AttributionMethods.Energy => new EnergyRelevance(),
        AttributionMethods.IntegratedGradients => new IntegratedGradients(10),
        AttributionMethods.Random => new RandomRelevance(seed),
        _ => throw new RejectedRequestException("methods", $"method '{method}' is not one of {string.Join(", ", AttributionMethods.All)}"),
    };
}
