using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>One active latent under one method: its activation a_j (summed over the hooked tokens) and relevance R_j.</summary>
[GenerateSerializer, Immutable, Alias("actors.AttributedLatent")]
public sealed record AttributedLatent([property: Id(0)] int Latent, [property: Id(1)] double Activation, [property: Id(2)] double Relevance);

/// <summary>
/// One method's attribution: y(x, t) (seed 000 Eq. 4), the <paramref name="Latents"/> most relevant first (the request's
/// top of <paramref name="ActiveLatents"/>), the bias and error terms where the method attributes them (App. B.1), y at
/// its baseline where it has one (Integrated Gradients: every latent at 0), and the sum of all latents' relevances.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.MethodAttribution")]
public sealed record MethodAttribution([property: Id(0)] string Method, [property: Id(1)] string Name, [property: Id(2)] double Score,
    [property: Id(3)] AttributedLatent[] Latents, [property: Id(4)] int ActiveLatents, [property: Id(5)] double LatentRelevanceSum,
    [property: Id(6)] double? Bias, [property: Id(7)] double? Error, [property: Id(8)] double? Baseline);

/// <summary>A method the request left to the default that this SAE's hook does not support, and why.</summary>
[GenerateSerializer, Immutable, Alias("actors.SkippedMethod")]
public sealed record SkippedMethod([property: Id(0)] string Method, [property: Id(1)] string Reason);

/// <summary>A latent's activations on this image's patches, row-major on a grid of the result's HeatmapWidth columns.</summary>
[GenerateSerializer, Immutable, Alias("actors.LatentPatchMap")]
public sealed record LatentPatchMap([property: Id(0)] int Latent, [property: Id(1)] float[] Cells);

/// <summary>
/// What a host computed for an <see cref="ImageAttributionRequest"/>: the hook's name, y(x, t), each method's
/// attribution, the methods skipped, and for every latent listed by some method its patch heatmap on this image —
/// none (<paramref name="HeatmapWidth"/> 0, <paramref name="HeatmapNote"/> says why) for a hook without patch tokens.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ImageAttributionResult")]
public sealed record ImageAttributionResult([property: Id(0)] string Hook, [property: Id(1)] double Score,
    [property: Id(2)] int ActiveLatents, [property: Id(3)] MethodAttribution[] Methods, [property: Id(4)] SkippedMethod[] Skipped,
    [property: Id(5)] int HeatmapWidth, [property: Id(6)] LatentPatchMap[] Heatmaps, [property: Id(7)] string? HeatmapNote);
