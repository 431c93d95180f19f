namespace Actors.Sae.Training;

public enum DecoderBiasInit { Zeros, Mean, GeometricMedian }

/// <summary>Training hyper-parameters. Defaults follow Gao et al. (AuxK k_aux = d_in/2, α = 1/32, dead after 10M
/// tokens) and seed 001 App. 10 (Adam, warm-up, batch 4096).</summary>
public sealed record SaeTrainingConfig
{
    public int BatchSize { get; init; } = 4096;
    public long TotalTokens { get; init; } = 10_000_000;
    public float LearningRate { get; init; } = 4e-4f;
    public int WarmupSteps { get; init; } = 200;
    public int DecaySteps { get; init; }
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Epsilon { get; init; } = 1e-8f;
    public ReconstructionLoss Reconstruction { get; init; } = ReconstructionLoss.Mse;
    /// <summary>λ of the L1 penalty (ReLU SAEs; seed 002 Eq. 2).</summary>
    public float L1Coefficient { get; init; }
    /// <summary>k_aux; 0 = d_in/2 (Gao et al. App. A.2). Negative disables AuxK.</summary>
    public int AuxK { get; init; }
    public float AuxKCoefficient { get; init; } = 1f / 32;
    /// <summary>A latent not fired in this many tokens is dead.</summary>
    public long DeadAfterTokens { get; init; } = 10_000_000;
    /// <summary>ReLU SAEs: resample dead latents every this many steps (0 = never).</summary>
    public int ResampleEverySteps { get; init; }
    public bool UnitNormDecoder { get; init; } = true;
    public DecoderBiasInit DecoderBiasInit { get; init; } = DecoderBiasInit.GeometricMedian;
    /// <summary>Scale inputs so E‖x‖ = √d_in, estimated on the first batch (SAELens expected_average_only_in).</summary>
    public bool NormalizeActivations { get; init; }
    public int CheckpointEverySteps { get; init; }
    public string? CheckpointDirectory { get; init; }
    public int Seed { get; init; }
}

/// <summary>One step's figures. <see cref="ExplainedVariance"/> is the batch's 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖² (MSE training
/// only; NaN otherwise).</summary>
public sealed record SaeTrainingProgress(long Step, long TotalSteps, long Tokens, double Loss, double Reconstruction, double AuxK,
    double MeanL0, double DeadFraction, float LearningRate, double ExplainedVariance = double.NaN);
