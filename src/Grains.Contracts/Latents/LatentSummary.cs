using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>
/// The sortable facts of one latent that listings filter and sort on, kept in the SAE's latent index so a
/// listing never activates tens of thousands of latent grains. Frequencies and class means are computed at query
/// time from the SAE's totals. Besides the statistics:
/// <list type="bullet">
/// <item><see cref="SemanticLabel"/>, <see cref="Alignment"/>, <see cref="Clarity"/>: the assigned label argmax_t s_j(t),
/// its s_j (seed 000 Eq. 2), and the reference images' clarity — null until the latent is labelled.</item>
/// <item><see cref="ReferenceActivation"/>: mean activation over the latent's reference images (its top-k), the
/// output-agnostic proxy for relevance of seed 000 Sec. 4.2a / App. C.2 (there over the top 20).</item>
/// <item><see cref="ClassRelevance"/>: per class, the moments of the image-level relevance R_j over the class's images
/// where the latent fired (seed 000 Eq. 5, 8); null when ingestion collected none.</item>
/// </list>
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSummary")]
public sealed record LatentSummary([property: Id(0)] int Latent, [property: Id(1)] long FiringTokens, [property: Id(2)] long FiringImages, [property: Id(3)] double MeanActivation,
    [property: Id(4)] double MaxActivation, [property: Id(5)] double LabelEntropy, [property: Id(6)] string? TopLabel, [property: Id(7)] string? SemanticLabel,
    [property: Id(8)] double? Alignment = null, [property: Id(9)] double? Clarity = null, [property: Id(10)] double ReferenceActivation = 0,
    [property: Id(11)] Dictionary<string, Moments>? ClassRelevance = null)
{
    public static LatentSummary Of(int latent, LatentState state)
    {
        var s = state.Sketch;
        var (top, entropy) = LabelCounts.TopAndEntropy(s.Classes);
        var assigned = state.SemanticLabels?.Assigned;
        var references = s.References.Items;
        double referenceActivation = 0;
        for (int i = 0; i < references.Count; i++) referenceActivation += references[i].Activation / references.Count;
        // A copy: the sketch's map changes with the next merge, and an immutable summary is passed by reference in a silo.
        var relevance = s.Relevance.Classes.Count == 0 ? null : new Dictionary<string, Moments>(s.Relevance.Classes, StringComparer.Ordinal);
        return new LatentSummary(latent, s.Firing.FiringTokens, s.Firing.FiringImages, s.Activation.Mean,
            s.Max.HasValue ? s.Max.Max : 0, entropy, top, assigned?.Text,
            assigned?.Alignment, state.SemanticLabels?.Clarity, referenceActivation, relevance);
    }

    /// <summary>
    /// Mean image-level relevance over the <paramref name="classImages"/> images of <paramref name="label"/> whose relevance was computed (non-firing
    /// ones count 0): <see cref="Latents.ClassRelevance.MeanRelevance"/>, the μ_j of seed 000 Eq. 8; null without relevance.
    /// </summary>
    public double? MeanRelevance(string label, long classImages) => ClassRelevance is not { } classes ? null
        : classes.TryGetValue(label, out var m) ? m.WithZeros(Math.Max(0, classImages - m.Count)).Mean : 0;
}
