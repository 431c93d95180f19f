namespace Actors.Sae.Architectures;

public enum SaeArchitecture { TopK, Standard, JumpRelu }

/// <summary>Input scaling applied before encoding and undone after decoding (SAELens "normalize_activations").</summary>
public enum ActivationNormalization
{
    None,
    /// <summary>Multiply inputs by a fixed factor s chosen in training so that E‖s·x‖ = √d_in (SAELens
    /// "expected_average_only_in", Anthropic April 2024 update); outputs are divided by s.</summary>
    ExpectedAverageOnlyIn,
}

/// <summary>What every SAE architecture shares. Weights: W_enc (d_in, d_sae), b_enc (d_sae), W_dec (d_sae, d_in), b_dec (d_in).</summary>
public abstract record SaeConfig(int DIn, int DSae)
{
    public abstract SaeArchitecture Architecture { get; }
    /// <summary>Subtract b_dec from the input before encoding ("pre-centering", Bricken et al. 2023).</summary>
    public bool ApplyBDecToInput { get; init; } = true;
    public ActivationNormalization NormalizeActivations { get; init; } = ActivationNormalization.None;
    /// <summary>The factor s of <see cref="ActivationNormalization.ExpectedAverageOnlyIn"/>; 1 otherwise.</summary>
    public float ActivationScale { get; init; } = 1f;
    /// <summary>Where the SAE reads its activations, when known.</summary>
    public SaeHookSpec? Hook { get; init; }
    /// <summary>Free-form provenance (model name, dataset, ...), kept through save and load.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public void Validate()
    {
        if (DIn <= 0 || DSae <= 0) throw new ArgumentException($"SAE config: d_in {DIn} and d_sae {DSae} must be positive");
        if (!(ActivationScale > 0) || float.IsInfinity(ActivationScale)) throw new ArgumentException($"SAE config: activation scale {ActivationScale} must be finite and positive");
    }
}
