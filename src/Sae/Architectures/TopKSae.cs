namespace Actors.Sae.Architectures;

/// <summary>Top-k SAE (Gao et al. 2024; seed 000 Sec. 3.1): a = ReLU(TopK_k(W_enc(x − b_dec) + b_enc)).</summary>
public sealed record TopKSaeConfig(int DIn, int DSae, int K) : SaeConfig(DIn, DSae)
{
    public override SaeArchitecture Architecture => SaeArchitecture.TopK;
}

public sealed class TopKSae : SparseAutoencoder
{
    public int K { get; }

    public TopKSae(TopKSaeConfig config, float[] encoderWeights, float[] encoderBias, float[] decoderWeights, float[] decoderBias)
        : base(config, encoderWeights, encoderBias, decoderWeights, decoderBias)
    {
        if (config.K <= 0 || config.K > config.DSae) throw new ArgumentException($"top-k SAE: k = {config.K} must be in 1..d_sae ({config.DSae})");
        K = config.K;
    }

    public override int MaxActivePerRow => K;
    public override bool FixedActiveCount => true;

    // Exactly k entries; ReLU after selection, so a selected latent with a negative pre-activation carries 0.
    public override int ActivateRow(ReadOnlySpan<float> preWithoutBias, Span<int> indices, Span<float> values)
    {
        int n = TopKSelection.SelectRow(preWithoutBias, EncoderBias, K, indices, values);
        for (int i = 0; i < n; i++) if (values[i] < 0) values[i] = 0;
        return n;
    }
}
