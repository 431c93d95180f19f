namespace Actors.Sae.Architectures;

/// <summary>"Standard" ReLU SAE trained with an L1 penalty (seed 002 Eq. 1-2; seed 001 "vanilla"):
/// a = ReLU(W_enc(x − b_dec) + b_enc).</summary>
public sealed record StandardSaeConfig(int DIn, int DSae) : SaeConfig(DIn, DSae)
{
    public override SaeArchitecture Architecture => SaeArchitecture.Standard;
}

public sealed class StandardSae : SparseAutoencoder
{
    public StandardSae(StandardSaeConfig config, float[] encoderWeights, float[] encoderBias, float[] decoderWeights, float[] decoderBias)
        : base(config, encoderWeights, encoderBias, decoderWeights, decoderBias) { }

    public override int MaxActivePerRow => DSae;
    public override bool FixedActiveCount => false;

    public override int ActivateRow(ReadOnlySpan<float> preWithoutBias, Span<int> indices, Span<float> values) =>
        ActivateAbove(preWithoutBias, default, indices, values);
}
