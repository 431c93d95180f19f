using Actors.Grains.Hosts;

namespace Actors.Api.Contracts;

/// <summary>
/// The image of an attribution: an ingested one (<paramref name="CorpusId"/> and <paramref name="ImageId"/>, as reference
/// images name it) or PNG/JPEG bytes in <paramref name="Base64"/> (a data: URL prefix is allowed) — exactly one.
/// </summary>
public sealed record ImageInput(string? CorpusId = null, string? ImageId = null, string? Base64 = null);

/// <summary>
/// Attribute <paramref name="Image"/> for a prompt: <paramref name="Prompt"/> (text, embedded as written by the SAE's
/// model) or <paramref name="Concept"/> ("{vocabulary}/{concept}" of a vocabulary of the SAE's model) — exactly one.
/// <paramref name="Methods"/>: names among act-grad, act-grad-eq31, act-logit-lens, logit-lens, energy,
/// integrated-gradients, random (default: every one the SAE's hook supports). <paramref name="Top"/> latents per method
/// (default 20); <paramref name="Seed"/> seeds the random baseline (default 0).
/// </summary>
public sealed record AttributeImageRequest(ImageInput? Image, string? Prompt = null, string? Concept = null,
    string[]? Methods = null, int? Top = null, ulong? Seed = null);

/// <summary>
/// One relevant latent of the image: a_j (summed over the hooked tokens), R_j, its assigned semantic label if it has one,
/// links to the latent, its reference images and its top reference image with its heatmap drawn (null when ingestion
/// gave it none), and its activations on this image's patches (row-major, the response's heatmapWidth columns; null
/// when the hook has no patch tokens).
/// </summary>
public sealed record RelevantLatent(int Latent, double Activation, double Relevance, string? SemanticLabel, string Link,
    string References, string? TopReference, float[]? Heatmap);

/// <summary>One method's result: y, the bias and error terms (Act×Grad), y at the baseline (Integrated Gradients), the
/// sum of every active latent's relevance, and its top latents, most relevant first.</summary>
public sealed record MethodResult(string Method, string Name, double Score, double? Bias, double? Error, double? Baseline,
    double LatentRelevanceSum, int ActiveLatents, RelevantLatent[] Latents);

/// <summary>Which image was attributed: an ingested one, or an upload of <paramref name="UploadedBytes"/> bytes.</summary>
public sealed record AttributedImage(string? CorpusId, string? ImageId, int? UploadedBytes);

/// <summary>The instance-wise relevance of the image's active latents for the prompt (seed 000 Sec. 4.1, 5.1).</summary>
public sealed record AttributionResponse(string SaeId, string ModelId, string Hook, AttributedImage Image, string? Prompt, string? Concept,
    double Score, int ActiveLatents, int HeatmapWidth, string? HeatmapNote, MethodResult[] Methods, SkippedMethod[] Skipped);
