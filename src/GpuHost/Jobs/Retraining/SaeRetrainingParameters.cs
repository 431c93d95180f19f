namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>
/// A "sae-retraining" job's parameters, every default already resolved by the API so the job records what it ran
/// with. Trains an <paramref name="Architecture"/> ("topk" or "standard") SAE of <paramref name="Width"/> latents
/// (<paramref name="K"/> active per token for top-k; <paramref name="L1Coefficient"/> λ for standard) on the residual
/// stream after block <paramref name="Layer"/> (<paramref name="Tokens"/>: all, cls, patches) of the parent's model,
/// over the images of <paramref name="CorpusIds"/>, for <paramref name="Steps"/> Adam steps of
/// <paramref name="BatchSize"/> tokens; registers it as <paramref name="NewSaeId"/>.
/// </summary>
/// <param name="CheckpointEvery">steps between checkpoints, kept under the job's folder until the job ends</param>
/// <param name="EvaluationImages">at most this many of the corpora's images are held out (never trained on) for explained
/// variance and loss recovered; never more than a fifth of them</param>
/// <param name="MatchThreshold">the lowest score of a latent match (decoder cosine, or its mix with co-activation)</param>
/// <param name="CoActivationImages">images of the parent's ingested corpora both versions encode to measure co-activation
/// (0: decoder cosine alone)</param>
/// <param name="Reingest">after registering, ingest the parent's corpora again through the new SAE as "{corpus}@{newSae}"</param>
public sealed record SaeRetrainingParameters(
    string SaeId, string NewSaeId, string Architecture, int Width, int? K, int Layer, string Tokens, string[] CorpusIds,
    long Steps, int BatchSize, float LearningRate, float L1Coefficient, int Seed, int CheckpointEvery,
    int EvaluationImages, double MatchThreshold, int CoActivationImages, bool Reingest)
{
    public const string Kind = "sae-retraining";
    public static readonly string[] Architectures = ["topk", "standard"];
}
