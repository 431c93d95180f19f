using Actors.Tensors.Backends;

namespace Actors.Vision.Clip;

/// <summary>
/// CLIP's vision transformer (Radford et al. 2021, Sec. 2.4; Dosovitskiy et al. 2021, Eq. 1-4):
/// x₀ = [class; patches·E] + E_pos, x ← LN_pre(x₀), L pre-LN blocks, image embedding = LN_post(x_L[class]) · Pᵀ.
/// The stride-P patch convolution is one matrix product over unfolded patches. Batched; buffers are reused
/// across calls, so an instance is not thread-safe.
/// </summary>
public sealed class ClipVisionModel
{
    readonly IComputeBackend backend;
    readonly ClipVisionConfig config;
    readonly ClipTransformer transformer;
    readonly Tensor patchWeight, classEmbedding, positionEmbedding, preG, preB, postG, postB, projection;
    readonly TransformerScratch scratch;
    int capacity;
    Tensor images = null!, patches = null!, patchOut = null!, residual = null!, pooled = null!, pooledNorm = null!, embeds = null!;
    int[] classRows = [], patchRows = [], zeros = [], identity = [];
    float[] hookBuffer = [];

    public ClipVisionModel(IComputeBackend backend, ClipConfig config, ClipVisionWeights weights)
    {
        this.backend = backend;
        this.config = config.Vision;
        var v = config.Vision;
        ProjectionDim = config.ProjectionDim;
        int w = v.HiddenSize;
        patchWeight = backend.FromHost(weights.PatchWeight, w, v.PatchVectorLength);
        classEmbedding = backend.FromHost(weights.ClassEmbedding, 1, w);
        positionEmbedding = backend.FromHost(weights.PositionEmbedding, v.Tokens, w);
        preG = backend.FromHost(weights.PreLnGamma, w); preB = backend.FromHost(weights.PreLnBeta, w);
        postG = backend.FromHost(weights.PostLnGamma, w); postB = backend.FromHost(weights.PostLnBeta, w);
        projection = backend.FromHost(weights.Projection, config.ProjectionDim, w);
        transformer = new ClipTransformer(backend, weights.Layers, w, v.IntermediateSize, v.Heads, v.Activation, v.LayerNormEps);
        scratch = new TransformerScratch(backend, w, v.IntermediateSize);
    }

    public ClipVisionConfig Config => config;
    public int ProjectionDim { get; }
    public int Layers => transformer.Count;
    /// <summary>Floats per preprocessed image: (C, H, W).</summary>
    public int PixelsPerImage => config.Channels * config.ImageSize * config.ImageSize;

    /// <summary>Image embeddings (B, proj), not normalised, for preprocessed pixels (B, C, H, W).</summary>
    public float[] Encode(ReadOnlySpan<float> pixels, int batch, ResidualHook? hook = null)
    {
        var result = new float[batch * ProjectionDim];
        Encode(pixels, batch, result, hook);
        return result;
    }

    /// <summary>Allocation-free form of <see cref="Encode(ReadOnlySpan{float}, int, ResidualHook?)"/>.</summary>
    public void Encode(ReadOnlySpan<float> pixels, int batch, Span<float> embeddings, ResidualHook? hook = null)
    {
        if (embeddings.Length != batch * ProjectionDim)
            throw new ArgumentException($"embedding buffer holds {embeddings.Length} floats, needs {batch}×{ProjectionDim}");
        var x = Run(pixels, batch, transformer.Count - 1, hook);
        // Pool the class token of every image, LN_post, project (no bias).
        int w = config.HiddenSize;
        backend.CopyRows(x, classRows.AsSpan(0, batch), pooled.Slice(0, batch), identity.AsSpan(0, batch));
        backend.LayerNorm(pooled.Slice(0, batch), postG, postB, pooledNorm.Slice(0, batch), config.LayerNormEps);
        backend.Linear(pooledNorm.Slice(0, batch), projection, null, embeds.Slice(0, batch));
        backend.CopyToHost(embeds.Slice(0, batch), embeddings);
    }

    /// <summary>
    /// The residual stream (B, T, W) after block <paramref name="layer"/> (0-based) — the forward stops there,
    /// so reading an early layer for SAE training costs only the blocks up to it. Hooks see blocks 0..layer.
    /// </summary>
    public float[] ResidualAfter(ReadOnlySpan<float> pixels, int batch, int layer, ResidualHook? hook = null)
    {
        var result = new float[batch * config.Tokens * config.HiddenSize];
        ResidualAfter(pixels, batch, layer, result, hook);
        return result;
    }

    public void ResidualAfter(ReadOnlySpan<float> pixels, int batch, int layer, Span<float> residualOut, ResidualHook? hook = null)
    {
        CheckLayer(layer);
        if (residualOut.Length != batch * config.Tokens * config.HiddenSize)
            throw new ArgumentException($"residual buffer holds {residualOut.Length} floats, needs {batch}×{config.Tokens}×{config.HiddenSize}");
        backend.CopyToHost(Run(pixels, batch, layer, hook), residualOut);
    }

    /// <summary>
    /// The class token's residual (B, W) after block <paramref name="layer"/>: blocks before it run in full, block
    /// <paramref name="layer"/> only as far as the class tokens need (<see cref="ClipTransformer.BlockForRows"/>).
    /// Equal to the class rows of <see cref="ResidualAfter(ReadOnlySpan{float}, int, int, ResidualHook?)"/>.
    /// </summary>
    public float[] ClassTokenResidualAfter(ReadOnlySpan<float> pixels, int batch, int layer)
    {
        CheckLayer(layer);
        var x = Run(pixels, batch, layer - 1, hook: null);
        var classTokens = pooled.Slice(0, batch);
        transformer.BlockForRows(layer, x, scratch, batch, config.Tokens, classRows.AsSpan(0, batch), identity.AsSpan(0, batch), classTokens);
        var result = new float[batch * config.HiddenSize];
        backend.CopyToHost(classTokens, result);
        return result;
    }

    void CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)transformer.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} outside 0..{transformer.Count - 1}");
    }

    /// <summary>Embeddings, LN_pre and blocks 0..lastLayer; returns the residual (B·T, W) on the backend.</summary>
    Tensor Run(ReadOnlySpan<float> pixels, int batch, int lastLayer, ResidualHook? hook)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), "batch must be ≥ 1");
        if (pixels.Length != batch * PixelsPerImage)
            throw new ArgumentException($"pixels hold {pixels.Length} floats, a batch of {batch} images ({config.Channels}×{config.ImageSize}×{config.ImageSize}) needs {batch * PixelsPerImage}");
        Ensure(batch);
        int t = config.Tokens, np = config.Patches, rows = batch * t;
        var img = images.Slice(0, batch);
        backend.CopyFromHost(pixels, img);
        backend.ExtractPatches(img, config.PatchSize, patches.Slice(0, batch * np));
        backend.Linear(patches.Slice(0, batch * np), patchWeight, null, patchOut.Slice(0, batch * np));
        // Embeddings are assembled in a scratch buffer, then LN_pre writes the residual stream (no in-place LN).
        var embedded = scratch.Projected.Slice(0, rows);
        backend.CopyRows(patchOut, identity.AsSpan(0, batch * np), embedded, patchRows.AsSpan(0, batch * np));
        backend.CopyRows(classEmbedding, zeros.AsSpan(0, batch), embedded, classRows.AsSpan(0, batch));
        backend.AddRepeated(embedded, positionEmbedding);
        var x = residual.Slice(0, rows);
        backend.LayerNorm(embedded, preG, preB, x, config.LayerNormEps);
        for (int l = 0; l <= lastLayer; l++)
        {
            transformer.Block(l, x, scratch, batch, t, causal: false);
            if (hook != null) InvokeHook(hook, l, x, batch);
        }
        return x;
    }

    void InvokeHook(ResidualHook hook, int layer, Tensor x, int batch)
    {
        if (backend.TryGetHostSpan(x, out var span))
        {
            hook(layer, new ResidualStream(span, batch, config.Tokens, config.HiddenSize));
            return;
        }
        // Device-resident stream: round-trip through host memory so hooks stay backend-agnostic.
        if (hookBuffer.Length < x.Length) hookBuffer = new float[x.Length];
        var host = hookBuffer.AsSpan(0, (int)x.Length);
        backend.CopyToHost(x, host);
        hook(layer, new ResidualStream(host, batch, config.Tokens, config.HiddenSize));
        backend.CopyFromHost(host, x);
    }

    void Ensure(int batch)
    {
        if (batch <= capacity) return;
        int w = config.HiddenSize, t = config.Tokens, np = config.Patches, s = config.ImageSize;
        images = backend.Allocate(batch, config.Channels, s, s);
        patches = backend.Allocate(batch * np, config.PatchVectorLength);
        patchOut = backend.Allocate(batch * np, w);
        residual = backend.Allocate(batch * t, w);
        pooled = backend.Allocate(batch, w);
        pooledNorm = backend.Allocate(batch, w);
        embeds = backend.Allocate(batch, ProjectionDim);
        scratch.EnsureRows(batch * t);
        classRows = Enumerable.Range(0, batch).Select(b => b * t).ToArray();
        patchRows = Enumerable.Range(0, batch * np).Select(i => i / np * t + 1 + i % np).ToArray();
        zeros = new int[batch];
        identity = Enumerable.Range(0, batch * np).ToArray();
        capacity = batch;
    }
}
