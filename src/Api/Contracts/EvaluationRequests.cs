namespace Actors.Api.Contracts;

/// <summary>
/// Start seed 000's faithfulness evaluation (Sec. 5.1, App. B.2) on up to <paramref name="MaxImages"/> (9..20,000,
/// default 500) labelled images of a corpus, each explained for its class prompt, the concept "{vocabularyId}/{label}".
/// Deletion (random) estimates its orders on <paramref name="RandomReferences"/> (1..20,000, default 500, fewer when the
/// corpus holds fewer) of the corpus's labelled images, any class, drawn without replacement; <paramref name="Seed"/>
/// seeds both draws and the random baseline.
/// </summary>
public sealed record FaithfulnessRequest(string? CorpusId, string? VocabularyId, int? MaxImages = null, ulong? Seed = null,
    int? RandomReferences = null);

/// <summary>
/// Start failure detection for one class (seed 000 Eq. 7-8, App. D.1): the class's reference samples from
/// <paramref name="ReferenceCorpusId"/> (default: the corpus), candidates among the corpus's other images. Thresholds
/// default to App. D.1's 1.5 sd, z 3 and 10 images, and Eq. 7's τ_rel 0.01, τ_align 0.
/// </summary>
public sealed record FailureDetectionRequest(string? CorpusId, string? VocabularyId, string? ClassLabel, string? ReferenceCorpusId = null,
    int? MaxImages = null, ulong? Seed = null, double? ScoreMargin = null, double? ZThreshold = null, int? MinSamples = null,
    double? RelevanceThreshold = null, double? AlignmentThreshold = null);

/// <summary>
/// Start seed 000 Sec. 5.3's probing of a class's flagged failure modes (the failure detection is run first) with App.
/// D.2's three probers: the class prompt, the class name averaged over the templates "{c}", "an image of a {c}", "a {c}",
/// and a linear probe on the image embeddings.
/// </summary>
public sealed record ProbingRequest(string? CorpusId, string? VocabularyId, string? ClassLabel, string? ReferenceCorpusId = null,
    int? MaxImages = null, ulong? Seed = null, double? ScoreMargin = null, double? ZThreshold = null, int? MinSamples = null);

/// <summary>
/// Start seed 002's top-k latent masking (Sec. 4.1) over the vocabulary's classes; class-level activations from
/// <paramref name="ReferenceCorpusId"/> (default: the corpus). <paramref name="Ks"/>: 1..20 values in 0..d_SAE.
/// </summary>
public sealed record MaskingRequest(string? CorpusId, string? VocabularyId, string? ReferenceCorpusId = null, int[]? Ks = null,
    int? MaxImages = null, ulong? Seed = null, float? Threshold = null);

/// <summary>Start seed 002's shared-SAE comparison (Sec. 4.2) with <paramref name="OtherSaeId"/>: the same SAE weights registered on another model.</summary>
public sealed record SharedSaeRequest(string? OtherSaeId, string? CorpusId, int? MaxImages = null, ulong? Seed = null, int? UpperRank = null,
    int? LowerRank = null, float? Threshold = null);
