using Actors.Grains.Concepts;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// What the evaluation routes check before they queue a job, each failure naming the request field at fault (the job
/// would fail on the same thing later, with less to go on).
/// </summary>
internal static class EvaluationChecks
{
    public const int MaxImagesLimit = 20_000;

    public static async Task<(string Field, string Message)?> CorpusAsync(IGrainFactory grains, string? corpusId, string field, bool required = true)
    {
        if (corpusId is null) return required ? (field, $"{field} is required") : null;
        return (await grains.GetGrain<ICorpusGrain>(corpusId).GetAsync()).Source is null ? (field, $"no corpus '{corpusId}' is registered") : null;
    }

    /// <summary>The vocabulary must exist and be embedded by the SAE's model; a class label, when given, must be one of its concepts.</summary>
    public static async Task<(string Field, string Message)?> VocabularyAsync(IGrainFactory grains, string? vocabularyId, SaeRecord sae,
        string? classLabel = null, bool checkClass = false)
    {
        if (vocabularyId is null) return ("vocabularyId", "vocabularyId is required");
        if (await grains.GetGrain<IVocabularyGrain>(vocabularyId).GetAsync() is not { } vocabulary)
            return ("vocabularyId", $"no vocabulary '{vocabularyId}' is registered");
        if (vocabulary.ModelId != sae.ModelId)
            return ("vocabularyId", $"vocabulary '{vocabularyId}' was embedded by model '{vocabulary.ModelId}'; the SAE reads model '{sae.ModelId}'");
        if (!checkClass) return null;
        if (string.IsNullOrWhiteSpace(classLabel)) return ("classLabel", "classLabel is required");
        return vocabulary.Concepts.Contains(classLabel, StringComparer.Ordinal) ? null
            : ("classLabel", $"'{classLabel}' is not a concept of vocabulary '{vocabularyId}'");
    }

    /// <summary>An image count in least..<see cref="MaxImagesLimit"/>: maxImages, or another count (<paramref name="field"/>) under the same limit.</summary>
    public static (string Field, string Message)? MaxImages(int? maxImages, int least, string field = "maxImages") =>
        maxImages is { } n && (n < least || n > MaxImagesLimit) ? (field, $"{field} must be {least}..{MaxImagesLimit}") : null;

    /// <summary>App. D.1's thresholds: margin ≥ 0, z finite, at least one image; Eq. 7's τ finite.</summary>
    public static (string Field, string Message)? Thresholds(double? margin, double? z, int? minSamples, double? relevance = null, double? alignment = null)
    {
        if (margin is { } m && !(m >= 0 && double.IsFinite(m))) return ("scoreMargin", "scoreMargin must be a finite number ≥ 0");
        if (z is { } zt && !double.IsFinite(zt)) return ("zThreshold", "zThreshold must be finite");
        if (minSamples is < 1) return ("minSamples", "minSamples must be ≥ 1");
        if (relevance is { } r && !double.IsFinite(r)) return ("relevanceThreshold", "relevanceThreshold must be finite");
        if (alignment is { } a && !double.IsFinite(a)) return ("alignmentThreshold", "alignmentThreshold must be finite");
        return null;
    }

    public static (string Field, string Message)? Ks(int[]? ks, int latents)
    {
        if (ks is null) return null;
        if (ks.Length is 0 or > 20) return ("ks", "ks must hold 1..20 values");
        return ks.Any(k => k < 0 || k > latents) ? ("ks", $"every k must be in 0..{latents} (the SAE's latents)") : null;
    }

    /// <summary>Seed 002 Eq. 4's τ: activations strictly above it count.</summary>
    public static (string Field, string Message)? Threshold(float? threshold) =>
        threshold is { } t && !(t >= 0 && float.IsFinite(t)) ? ("threshold", "threshold must be a finite number ≥ 0") : null;

    /// <summary>Seed 002 Sec. 4.2: the other SAE is the same SAE (weights, hook) registered on a different model.</summary>
    public static async Task<(string Field, string Message)?> OtherSaeAsync(IGrainFactory grains, string saeId, SaeRecord sae, string? otherSaeId)
    {
        if (otherSaeId is null) return ("otherSaeId", "otherSaeId is required");
        if (otherSaeId == saeId) return ("otherSaeId", "otherSaeId must name another registration of the SAE, on a different model");
        if ((await grains.GetGrain<ISaeGrain>(otherSaeId).GetAsync()).Record is not { } other) return ("otherSaeId", $"no SAE '{otherSaeId}' is registered");
        if (other.WeightsPath != sae.WeightsPath || other.Release != sae.Release || other.K != sae.K || other.DSae != sae.DSae)
            return ("otherSaeId", $"SAE '{otherSaeId}' ({other.WeightsPath}) does not share the weights of '{saeId}' ({sae.WeightsPath})");
        if (other.Hook != sae.Hook) return ("otherSaeId", $"SAE '{otherSaeId}' reads another hook than '{saeId}'");
        return other.ModelId == sae.ModelId ? ("otherSaeId", $"SAE '{otherSaeId}' reads the same model '{sae.ModelId}'; a comparison needs two backbones") : null;
    }
}
