using Actors.Tensors.Kernels;

namespace Actors.World.Training;

/// <summary>
/// CLIP's text encoder with saved activations (Radford et al. 2021, Sec. 2.4): token + position embedding,
/// causal residual blocks, final LayerNorm, pooling at the end-of-text token, linear projection (no bias).
/// The final LN is per token, so it is applied to the pooled token only (same values as LN-then-pool).
/// Names follow Hugging Face CLIPTextTransformer.
/// </summary>
public sealed class TextTowerTraining
{
    readonly ClipTrainingConfig _cfg;
    readonly ParameterTensor _tokens, _positions, _finalLnW, _finalLnB, _projection;
    readonly TransformerTraining _transformer;
    int _b = -1;
    int[] _ids = [], _eot = [];
    float[] _pooled = [], _ln = [], _lnMean = [], _lnRstd = [], _dLn = [], _dPooled = [], _dStream = [];

    public TextTowerTraining(ClipTrainingConfig cfg, ParameterLayout layout)
    {
        _cfg = cfg;
        int w = cfg.TextWidth;
        _tokens = layout.Add("text_model.embeddings.token_embedding.weight", [cfg.VocabSize, w], false);
        _positions = layout.Add("text_model.embeddings.position_embedding.weight", [cfg.ContextLength, w], false);
        var blocks = Enumerable.Range(0, cfg.TextLayers)
            .Select(l => BlockParameters.Add(layout, $"text_model.encoder.layers.{l}", w)).ToArray();
        _finalLnW = layout.Add("text_model.final_layer_norm.weight", [w], false);
        _finalLnB = layout.Add("text_model.final_layer_norm.bias", [w], false);
        _projection = layout.Add("text_projection.weight", [cfg.EmbedDim, w], true);
        _transformer = new TransformerTraining(blocks, w, cfg.TextHeads, causal: true, cfg.LayerNormEps, cfg.Activation);
    }

    void Ensure(int b)
    {
        if (b == _b) return;
        _b = b;
        int w = _cfg.TextWidth, t = _cfg.ContextLength;
        _ids = new int[b * t]; _eot = new int[b];
        _pooled = new float[b * w]; _ln = new float[b * w]; _lnMean = new float[b]; _lnRstd = new float[b];
        _dLn = new float[b * w]; _dPooled = new float[b * w]; _dStream = new float[b * t * w];
    }

    /// <summary>ids (B,T) and eot (B) index of the end-of-text token per sequence → features (B,E).</summary>
    public void Forward(float[] prm, ReadOnlySpan<int> ids, ReadOnlySpan<int> eot, Span<float> features, int b)
    {
        var c = _cfg; int w = c.TextWidth, t = c.ContextLength;
        if (ids.Length != b * t || eot.Length != b || features.Length != b * c.EmbedDim)
            throw new ArgumentException($"TextTower: expected ids ({b},{t}), eot ({b}), features ({b},{c.EmbedDim}); found {ids.Length}, {eot.Length}, {features.Length}");
        Ensure(b);
        ids.CopyTo(_ids); eot.CopyTo(_eot);
        var stream = _transformer.Input(b, t);
        TokenEmbedding.Forward(ids, P(prm, _tokens), P(prm, _positions), stream, b, t, c.VocabSize, w);
        var output = _transformer.Forward(prm);
        TokenPooling.Forward(output, eot, _pooled, b, t, w);
        LayerNorm.Forward(_pooled, P(prm, _finalLnW), P(prm, _finalLnB), _ln, _lnMean, _lnRstd, b, w, c.LayerNormEps);
        Linear.Forward(_ln, P(prm, _projection), [], features, b, w, c.EmbedDim);
    }

    /// <summary>dFeatures (B,E) → parameter gradients accumulated (+=) into g.</summary>
    public void Backward(float[] prm, float[] g, ReadOnlySpan<float> dFeatures, int b)
    {
        var c = _cfg; int w = c.TextWidth, t = c.ContextLength;
        if (b != _b || dFeatures.Length != b * c.EmbedDim)
            throw new ArgumentException($"TextTower.Backward: expects dFeatures ({_b},{c.EmbedDim}) of the last Forward");
        Linear.Backward(dFeatures, _ln, P(prm, _projection), _dLn, G(g, _projection), [], b, w, c.EmbedDim);
        LayerNorm.Backward(_dLn, _pooled, P(prm, _finalLnW), _lnMean, _lnRstd, _dPooled, G(g, _finalLnW), G(g, _finalLnB), b, w);
        TokenPooling.Backward(_dPooled, _eot, _dStream, b, t, w);
        _transformer.Backward(prm, g, _dStream);
        TokenEmbedding.Backward(_dStream, _ids, G(g, _tokens), G(g, _positions), b, t, c.VocabSize, w);
    }

    static ReadOnlySpan<float> P(float[] prm, ParameterTensor t) => prm.AsSpan(t.Offset, t.Length);
    static Span<float> G(float[] g, ParameterTensor t) => g.AsSpan(t.Offset, t.Length);
}
