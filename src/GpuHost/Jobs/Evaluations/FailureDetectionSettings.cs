using Actors.Analysis.Evaluation.ConceptReliance;
using Actors.Grains.Evaluations;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 App. D.1: high-confidence non-class samples score above the class's mean − 1.5 sd; a latent is flagged at
/// z &gt; 3 on at least 10 of them. Eq. 7: hidden concepts have mean relevance over the class's samples ≥ τ_rel (in units
/// of y) and alignment s_j(t_class) ≤ τ_align (Eq. 2, over the latent's ReferenceImages most activating samples).
/// τ_rel = 0.01 and τ_align = 0 (reference images no closer to the class prompt than to the empty one) are our
/// defaults; the paper gives none for this use.
/// </summary>
public sealed record FailureDetectionSettings(double ScoreMargin = 1.5, double ZThreshold = 3.0, int MinSamples = 10,
    double RelevanceThreshold = 0.01, double AlignmentThreshold = 0.0, int ReferenceImages = 20)
{
    public static FailureDetectionSettings Default { get; } = new();

    public FailureDetectionOptions Detection => new(ScoreMargin, ZThreshold, MinActiveSamples: 1);

    public FailureDetectionThresholds Thresholds => new(ScoreMargin, ZThreshold, MinSamples, RelevanceThreshold, AlignmentThreshold);
}

/// <summary>What a failure detection is about, for its record: the SAE, the corpus searched, the corpus of the class's
/// reference samples, and the job that ran it.</summary>
public sealed record FailureDetectionScope(string SaeId, string CorpusId, string ReferenceCorpusId, string? JobId);
