namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 Sec. 5.1: up to <paramref name="MaxImages"/> labelled images of the corpus (a seeded draw when it has more),
/// each explained for its class prompt, the concept "{vocabulary}/{label}". App. B.2 "Deletion (random)" estimates the
/// global orders on <paramref name="RandomReferences"/> of the corpus's labelled images (the paper's 500; fewer when the
/// corpus holds fewer), any class, drawn without replacement. <paramref name="Seed"/> seeds the draws and "random".
/// </summary>
public sealed record FaithfulnessParameters(string SaeId, string CorpusId, string VocabularyId, int MaxImages = 500, ulong Seed = 0,
    int RandomReferences = 500);

/// <summary>
/// Seed 000 App. D.1 for <paramref name="ClassLabel"/>: the class's reference samples come from
/// <paramref name="ReferenceCorpusId"/> (default: the corpus itself), the candidates are the corpus's other images.
/// </summary>
public sealed record FailureDetectionParameters(string SaeId, string CorpusId, string VocabularyId, string ClassLabel,
    string? ReferenceCorpusId = null, int MaxImages = 2000, ulong Seed = 0, double ScoreMargin = 1.5, double ZThreshold = 3.0,
    int MinSamples = 10, double RelevanceThreshold = 0.01, double AlignmentThreshold = 0.0)
{
    public FailureDetectionSettings Settings => new(ScoreMargin, ZThreshold, MinSamples, RelevanceThreshold, AlignmentThreshold);
}

/// <summary>Seed 000 Sec. 5.3 / App. D.2: the failure detection of <see cref="FailureDetectionParameters"/>, then its modes probed.</summary>
public sealed record ProbingParameters(string SaeId, string CorpusId, string VocabularyId, string ClassLabel,
    string? ReferenceCorpusId = null, int MaxImages = 2000, ulong Seed = 0, double ScoreMargin = 1.5, double ZThreshold = 3.0,
    int MinSamples = 10)
{
    public FailureDetectionParameters Detection => new(SaeId, CorpusId, VocabularyId, ClassLabel, ReferenceCorpusId, MaxImages, Seed,
        ScoreMargin, ZThreshold, MinSamples);
}

/// <summary>
/// Seed 002 Sec. 4.1: class-level activations from <paramref name="ReferenceCorpusId"/> (default: the corpus), accuracy on
/// the corpus's images of the vocabulary's classes; <paramref name="Ks"/> default to the authors' list up to d_SAE.
/// </summary>
public sealed record MaskingParameters(string SaeId, string CorpusId, string VocabularyId, string? ReferenceCorpusId = null,
    int[]? Ks = null, int MaxImages = 1000, ulong Seed = 0, float Threshold = 0.2f);

/// <summary>Seed 002 Sec. 4.2: SAE <paramref name="SaeId"/> and <paramref name="OtherSaeId"/> (the same weights on another model) over the corpus's labelled images.</summary>
public sealed record SharedSaeParameters(string SaeId, string OtherSaeId, string CorpusId, int MaxImages = 1000, ulong Seed = 0,
    int UpperRank = 50, int LowerRank = 100, float Threshold = 0.2f);
