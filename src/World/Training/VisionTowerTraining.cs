using Actors.Tensors.Kernels;

namespace Actors.World.Training;

/// <summary>
/// CLIP's ViT image encoder with saved activations (Radford et al. 2021, Sec. 2.4; Dosovitskiy et al. 2021 Eq. 1-4):
/// patches·Wpᵀ, prepend class embedding, add position embedding, pre-LN, residual blocks, post-LN on the class
/// token, linear projection (no bias). Names follow Hugging Face CLIPVisionTransformer.
/// </summary>
public sealed class VisionTowerTraining
{
    readonly ClipTrainingConfig _cfg;
    readonly ParameterTensor _patchWeight, _classEmbedding, _positions, _preLnW, _preLnB, _postLnW, _postLnB, _projection;
    readonly TransformerTraining _transformer;
    int _b = -1;
    float[] _patches = [], _patchEmb = [], _x0 = [], _preMean = [], _preRstd = [], _pooled = [], _post = [], _postMean = [], _postRstd = [];
    float[] _dPost = [], _dPooled = [], _dStream = [], _dX0 = [];
    int[] _classIndex = [];

    public VisionTowerTraining(ClipTrainingConfig cfg, ParameterLayout layout)
    {
        _cfg = cfg;
        int w = cfg.VisionWidth, p = cfg.PatchSize;
        _classEmbedding = layout.Add("vision_model.embeddings.class_embedding", [w], false);
        _patchWeight = layout.Add("vision_model.embeddings.patch_embedding.weight", [w, 3, p, p], true);
        _positions = layout.Add("vision_model.embeddings.position_embedding.weight", [cfg.VisionTokens, w], false);
        _preLnW = layout.Add("vision_model.pre_layrnorm.weight", [w], false);   // sic: Hugging Face's spelling
        _preLnB = layout.Add("vision_model.pre_layrnorm.bias", [w], false);
        var blocks = Enumerable.Range(0, cfg.VisionLayers)
            .Select(l => BlockParameters.Add(layout, $"vision_model.encoder.layers.{l}", w)).ToArray();
        _postLnW = layout.Add("vision_model.post_layernorm.weight", [w], false);
        _postLnB = layout.Add("vision_model.post_layernorm.bias", [w], false);
        _projection = layout.Add("visual_projection.weight", [cfg.EmbedDim, w], true);
        _transformer = new TransformerTraining(blocks, w, cfg.VisionHeads, causal: false, cfg.LayerNormEps, cfg.Activation);
    }

    void Ensure(int b)
    {
        if (b == _b) return;
        _b = b;
        int w = _cfg.VisionWidth, n = _cfg.PatchCount, t = _cfg.VisionTokens;
        _patches = new float[b * n * _cfg.PatchDim]; _patchEmb = new float[b * n * w];
        _x0 = new float[b * t * w]; _preMean = new float[b * t]; _preRstd = new float[b * t];
        _pooled = new float[b * w]; _post = new float[b * w]; _postMean = new float[b]; _postRstd = new float[b];
        _dPost = new float[b * w]; _dPooled = new float[b * w]; _dStream = new float[b * t * w]; _dX0 = new float[b * t * w];
        _classIndex = new int[b];
    }

    /// <summary>pixels (B,3,S,S) normalised → features (B,E).</summary>
    public void Forward(float[] prm, ReadOnlySpan<float> pixels, Span<float> features, int b)
    {
        var c = _cfg; int w = c.VisionWidth, n = c.PatchCount, t = c.VisionTokens;
        if (features.Length != b * c.EmbedDim)
            throw new ArgumentException($"VisionTower: features must be ({b},{c.EmbedDim}), found {features.Length} floats");
        Ensure(b);
        PatchUnfold.Forward(pixels, _patches, b, c.ImageSize, c.PatchSize);
        Linear.Forward(_patches, P(prm, _patchWeight), [], _patchEmb, b * n, c.PatchDim, w);
        var cls = P(prm, _classEmbedding); var pos = P(prm, _positions);
        for (int i = 0; i < b; i++)
        {
            Elementwise.Add(cls, pos[..w], _x0.AsSpan(i * t * w, w));
            Elementwise.Add(_patchEmb.AsSpan(i * n * w, n * w), pos[w..], _x0.AsSpan((i * t + 1) * w, n * w));
        }
        var stream = _transformer.Input(b, t);
        LayerNorm.Forward(_x0, P(prm, _preLnW), P(prm, _preLnB), stream, _preMean, _preRstd, b * t, w, c.LayerNormEps);
        var output = _transformer.Forward(prm);
        TokenPooling.Forward(output, _classIndex, _pooled, b, t, w);
        LayerNorm.Forward(_pooled, P(prm, _postLnW), P(prm, _postLnB), _post, _postMean, _postRstd, b, w, c.LayerNormEps);
        Linear.Forward(_post, P(prm, _projection), [], features, b, w, c.EmbedDim);
    }

    /// <summary>dFeatures (B,E) → parameter gradients accumulated (+=) into g.</summary>
    public void Backward(float[] prm, float[] g, ReadOnlySpan<float> dFeatures, int b)
    {
        var c = _cfg; int w = c.VisionWidth, n = c.PatchCount, t = c.VisionTokens;
        if (b != _b || dFeatures.Length != b * c.EmbedDim)
            throw new ArgumentException($"VisionTower.Backward: expects dFeatures ({_b},{c.EmbedDim}) of the last Forward");
        Linear.Backward(dFeatures, _post, P(prm, _projection), _dPost, G(g, _projection), [], b, w, c.EmbedDim);
        LayerNorm.Backward(_dPost, _pooled, P(prm, _postLnW), _postMean, _postRstd, _dPooled, G(g, _postLnW), G(g, _postLnB), b, w);
        TokenPooling.Backward(_dPooled, _classIndex, _dStream, b, t, w);
        _transformer.Backward(prm, g, _dStream);
        LayerNorm.Backward(_dStream, _x0, P(prm, _preLnW), _preMean, _preRstd, _dX0, G(g, _preLnW), G(g, _preLnB), b * t, w);
        // x0[b,0] = cls + pos[0]; x0[b,1+i] = patchEmb[b,i] + pos[1+i]
        var dCls = G(g, _classEmbedding); var dPos = G(g, _positions);
        for (int i = 0; i < b; i++)
        {
            var dRow = _dX0.AsSpan(i * t * w, t * w);
            Elementwise.AddInPlace(dCls, dRow[..w]);
            Elementwise.AddInPlace(dPos, dRow);
        }
        var dPatchEmb = _patchEmb;                           // reuse: the forward value is no longer needed
        for (int i = 0; i < b; i++) _dX0.AsSpan((i * t + 1) * w, n * w).CopyTo(dPatchEmb.AsSpan(i * n * w, n * w));
        Linear.Backward(dPatchEmb, _patches, P(prm, _patchWeight), [], G(g, _patchWeight), [], b * n, c.PatchDim, w);
    }

    static ReadOnlySpan<float> P(float[] prm, ParameterTensor t) => prm.AsSpan(t.Offset, t.Length);
    static Span<float> G(float[] g, ParameterTensor t) => g.AsSpan(t.Offset, t.Length);
}
