namespace Actors.Api.Contracts;

/// <summary>
/// Retrain an SAE (POST /api/saes/{saeId}/retraining). Every field is optional; what is left out comes from the parent:
/// its architecture (top-k when it is JumpReLU), width, k, layer and tokens, and the corpora it was ingested on.
/// <paramref name="Steps"/> Adam steps of <paramref name="BatchSize"/> tokens (default 4,096, seed 001 App. 10).
/// <paramref name="L1Coefficient"/> is required for a "standard" (ReLU + L1) SAE. The new SAE is registered as
/// <paramref name="NewSaeId"/> (default "{parent}-v{version}"). <paramref name="Reingest"/> ingests the parent's
/// corpora again through it.
/// </summary>
public sealed record RetrainSaeRequest(string? Architecture = null, int? Width = null, int? K = null, int? Layer = null, string? Tokens = null,
    string[]? CorpusIds = null, long? Steps = null, int? BatchSize = null, float? LearningRate = null, float? L1Coefficient = null,
    int? Seed = null, string? NewSaeId = null, int? CheckpointEvery = null, int? EvaluationImages = null, double? MatchThreshold = null,
    int? CoActivationImages = null, bool? Reingest = null);
