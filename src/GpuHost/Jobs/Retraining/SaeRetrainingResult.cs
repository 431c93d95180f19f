namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>The last training step's figures (on its batch).</summary>
public sealed record TrainingSummary(long Steps, long Tokens, double Loss, double ExplainedVariance, double MeanL0, double DeadFraction, bool Resumed);

/// <summary>How the new version's latents were matched to the parent's and what was carried over: labels (latents that
/// received them) and investigation notes (notes copied to matched latents, over all investigations).</summary>
public sealed record MatchingSummary(string Method, double Threshold, int CoActivationImages, int Matched, int UnmatchedNew, int UnmatchedOld,
    int LabelsCarried, int NotesCarried, string? Note = null);

/// <summary>
/// A finished "sae-retraining" job's result: the new SAE (id, version, parent, weights), training, evaluation on the
/// held-out images (and the parent's on the same images, when it reads the same hook), the latent matching and the
/// re-ingested corpora.
/// </summary>
public sealed record SaeRetrainingResult(string NewSaeId, string ParentSaeId, int Version, string WeightsPath, TrainingSummary? Training,
    RetrainingMetrics Evaluation, RetrainingMetrics? ParentEvaluation, MatchingSummary Matching, ReingestedCorpus[] Reingested);
