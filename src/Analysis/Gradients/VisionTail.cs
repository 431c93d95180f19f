using Actors.Tensors.Kernels;
using Actors.Vision.Clip;

namespace Actors.Analysis.Gradients;

/// <summary>
/// The part of the vision tower after a residual hook at block L, for one image: blocks L+1 … last, then the class
/// token through LN_post and the projection: residual (T, W) → image embedding x (proj), not normalised
/// (seed 000 Eq. 4: x = LayerNorm_γ,β[x_cls] W_proj). Backward maps d/dx (proj) to d/d residual (T, W).
/// </summary>
internal sealed class VisionTail
{
    readonly BlockTape[] blocks;
    readonly ClipVisionWeights weights;
    readonly int width, tokens, projection;
    readonly float eps;
    readonly float[][] stream;
    readonly float[] cls, post, mean = new float[1], rstd = new float[1], dPost, dCls, dGamma, dBeta;

    public VisionTail(ClipVisionConfig config, int projectionDim, ClipVisionWeights weights, int afterLayer)
    {
        if (afterLayer < -1 || afterLayer >= config.Layers)
            throw new ArgumentOutOfRangeException(nameof(afterLayer), $"hook layer {afterLayer} outside -1..{config.Layers - 1}");
        this.weights = weights;
        (width, tokens, projection, eps) = (config.HiddenSize, config.Tokens, projectionDim, config.LayerNormEps);
        blocks = weights.Layers.Skip(afterLayer + 1)
            .Select(l => new BlockTape(l, width, config.IntermediateSize, config.Heads, config.Activation, eps)).ToArray();
        stream = Enumerable.Range(0, blocks.Length + 1).Select(_ => new float[tokens * width]).ToArray();
        cls = new float[width]; post = new float[width]; dPost = new float[width]; dCls = new float[width];
        dGamma = new float[width]; dBeta = new float[width];
    }

    /// <summary>Residual after the hook's block (T, W) → image embedding (proj). Saves what <see cref="Backward"/> needs.</summary>
    public void Forward(ReadOnlySpan<float> residual, Span<float> embedding)
    {
        if (residual.Length != tokens * width || embedding.Length != projection)
            throw new ArgumentException($"VisionTail.Forward: residual must be (T={tokens}, W={width}) and embedding ({projection}), found {residual.Length} and {embedding.Length}");
        residual.CopyTo(stream[0]);
        for (int l = 0; l < blocks.Length; l++) blocks[l].Forward(stream[l], stream[l + 1], tokens);
        stream[^1].AsSpan(0, width).CopyTo(cls);
        LayerNorm.Forward(cls, weights.PostLnGamma, weights.PostLnBeta, post, mean, rstd, 1, width, eps);
        Linear.Forward(post, weights.Projection, [], embedding, 1, width, projection);
    }

    /// <summary>d/d embedding (proj) of the last Forward → d/d residual (T, W), written.</summary>
    public void Backward(ReadOnlySpan<float> dEmbedding, Span<float> dResidual)
    {
        if (dEmbedding.Length != projection || dResidual.Length != tokens * width)
            throw new ArgumentException($"VisionTail.Backward: dEmbedding ({projection}) and dResidual (T={tokens}, W={width}) expected");
        BlockTape.InputGradient(dEmbedding, weights.Projection, dPost, 1, width, projection);
        Array.Clear(dGamma); Array.Clear(dBeta);              // parameter gradients: scratch, unused
        LayerNorm.Backward(dPost, cls, weights.PostLnGamma, mean, rstd, dCls, dGamma, dBeta, 1, width);
        dResidual.Clear();
        dCls.CopyTo(dResidual[..width]);                     // only the class token reaches the embedding
        for (int l = blocks.Length - 1; l >= 0; l--) blocks[l].Backward(dResidual);
    }
}
