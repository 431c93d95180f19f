namespace Actors.Sae.Architectures;

/// <summary>JumpReLU SAE (Rajamanoharan et al. 2024; SAELens "jumprelu"): a_j = z_j·H(z_j − θ_j) with
/// z = W_enc(x − b_dec) + b_enc and a learned per-latent threshold θ. Loaded and run here, not trained.</summary>
public sealed record JumpReluSaeConfig(int DIn, int DSae) : SaeConfig(DIn, DSae)
{
    public override SaeArchitecture Architecture => SaeArchitecture.JumpRelu;
}

public sealed class JumpReluSae : SparseAutoencoder
{
    /// <summary>θ, (d_sae).</summary>
    public float[] Threshold { get; }

    public JumpReluSae(JumpReluSaeConfig config, float[] encoderWeights, float[] encoderBias, float[] decoderWeights, float[] decoderBias, float[] threshold)
        : base(config, encoderWeights, encoderBias, decoderWeights, decoderBias)
    {
        Need("threshold", threshold.Length, config.DSae, $"[{config.DSae}]");
        Threshold = threshold;
    }

    public override int MaxActivePerRow => DSae;
    public override bool FixedActiveCount => false;

    // SAELens: ReLU(z)·(z > θ); a latent is active when z exceeds both 0 and its threshold.
    public override int ActivateRow(ReadOnlySpan<float> preWithoutBias, Span<int> indices, Span<float> values) =>
        ActivateAbove(preWithoutBias, Threshold, indices, values);
}
