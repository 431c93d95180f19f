using Orleans;
namespace Actors.Grains.Latents;

/// <summary>
/// The sortable facts of one latent that listings filter and sort on, kept in the SAE's latent index so a
/// listing never activates tens of thousands of latent grains. Frequencies are computed at query time from the
/// SAE's totals.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSummary")]
public sealed record LatentSummary([property: Id(0)] int Latent, [property: Id(1)] long FiringTokens, [property: Id(2)] long FiringImages, [property: Id(3)] double MeanActivation,
    [property: Id(4)] double MaxActivation, [property: Id(5)] double LabelEntropy, [property: Id(6)] string? TopLabel, [property: Id(7)] string? SemanticLabel)
{
    public static LatentSummary Of(int latent, LatentState state)
    {
        var s = state.Sketch;
        var labels = s.Labels();
        string? top = labels.Labels.Count == 0 ? null
            : labels.Labels.MaxBy(kv => (kv.Value.Activation, kv.Key)).Key;
        return new LatentSummary(latent, s.Firing.FiringTokens, s.Firing.FiringImages, s.Activation.Mean,
            s.Max.HasValue ? s.Max.Max : 0, labels.Entropy(), top, state.SemanticLabels?.Assigned?.Text);
    }
}
