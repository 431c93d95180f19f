using Actors.Tensors.Backends;

namespace Actors.Vision.Clip;

/// <summary>
/// CLIP's text transformer (Radford et al. 2021, Sec. 2.4): x = token_embedding[ids] + position_embedding,
/// L pre-LN blocks with a causal mask, LN_final, the features at the end-of-text token, projection (no bias).
/// Because the mask is causal, tokens after the pooled one cannot influence it, so each batch runs only up to
/// its longest pooled position (the reference tests run the full context and compare).
/// </summary>
public sealed class ClipTextModel
{
    readonly IComputeBackend backend;
    readonly ClipTextConfig config;
    readonly ClipTransformer transformer;
    readonly Tensor tokenEmbedding, positionEmbedding, finalG, finalB, projection;
    readonly TransformerScratch scratch;
    int capacityRows, capacityBatch;
    Tensor residual = null!, pooled = null!, pooledNorm = null!, embeds = null!;

    public ClipTextModel(IComputeBackend backend, ClipConfig config, ClipTextWeights weights)
    {
        this.backend = backend;
        this.config = config.Text;
        var t = config.Text;
        ProjectionDim = config.ProjectionDim;
        tokenEmbedding = backend.FromHost(weights.TokenEmbedding, t.VocabSize, t.HiddenSize);
        positionEmbedding = backend.FromHost(weights.PositionEmbedding, t.ContextLength, t.HiddenSize);
        finalG = backend.FromHost(weights.FinalLnGamma, t.HiddenSize);
        finalB = backend.FromHost(weights.FinalLnBeta, t.HiddenSize);
        projection = backend.FromHost(weights.Projection, config.ProjectionDim, t.HiddenSize);
        transformer = new ClipTransformer(backend, weights.Layers, t.HiddenSize, t.IntermediateSize, t.Heads, t.Activation, t.LayerNormEps);
        scratch = new TransformerScratch(backend, t.HiddenSize, t.IntermediateSize);
    }

    public ClipTextConfig Config => config;
    public int ProjectionDim { get; }
    public int ContextLength => config.ContextLength;

    /// <summary>The position whose features are pooled, per the configured convention (see <see cref="EotPooling"/>).</summary>
    public int PoolingIndex(ReadOnlySpan<int> row)
    {
        if (config.Pooling == EotPooling.ArgMaxId)
        {
            int best = 0;
            for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i; // first maximum, as torch.argmax
            return best;
        }
        int eos = row.IndexOf(config.EosTokenId);
        if (eos < 0) throw new ArgumentException($"token row has no end-of-text token (id {config.EosTokenId})");
        return eos;
    }

    /// <summary>Text embeddings (B, proj), not normalised, for token ids (B, n) with n ≤ context length.</summary>
    public float[] Encode(ReadOnlySpan<int> ids, int batch)
    {
        if (batch <= 0 || ids.Length % batch != 0)
            throw new ArgumentException($"{ids.Length} token ids do not split into {batch} rows");
        int n = ids.Length / batch;
        if (n > config.ContextLength) throw new ArgumentException($"rows of {n} tokens exceed the context length {config.ContextLength}");
        var pool = new int[batch];
        int used = 0;
        for (int b = 0; b < batch; b++)
        {
            var row = ids.Slice(b * n, n);
            foreach (int id in row)
                if ((uint)id >= (uint)config.VocabSize) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} outside the vocabulary of {config.VocabSize}");
            pool[b] = PoolingIndex(row);
            used = Math.Max(used, pool[b] + 1);
        }
        Ensure(batch, batch * used);
        int rows = batch * used;
        var tokens = new int[rows];
        for (int b = 0; b < batch; b++) ids.Slice(b * n, used).CopyTo(tokens.AsSpan(b * used));
        var x = residual.Slice(0, rows);
        backend.GatherRows(tokenEmbedding, tokens, x);
        backend.AddRepeated(x, positionEmbedding.Slice(0, used));
        for (int l = 0; l < transformer.Count; l++) transformer.Block(l, x, scratch, batch, used, causal: true);
        // LN_final is per token, so applying it to the pooled rows only gives the same features.
        var pooledRows = new int[batch];
        for (int b = 0; b < batch; b++) pooledRows[b] = b * used + pool[b];
        backend.GatherRows(x, pooledRows, pooled.Slice(0, batch));
        backend.LayerNorm(pooled.Slice(0, batch), finalG, finalB, pooledNorm.Slice(0, batch), config.LayerNormEps);
        backend.Linear(pooledNorm.Slice(0, batch), projection, null, embeds.Slice(0, batch));
        var result = new float[batch * ProjectionDim];
        backend.CopyToHost(embeds.Slice(0, batch), result);
        return result;
    }

    void Ensure(int batch, int rows)
    {
        int w = config.HiddenSize;
        if (rows > capacityRows)
        {
            residual = backend.Allocate(rows, w);
            scratch.EnsureRows(rows);
            capacityRows = rows;
        }
        if (batch > capacityBatch)
        {
            pooled = backend.Allocate(batch, w);
            pooledNorm = backend.Allocate(batch, w);
            embeds = backend.Allocate(batch, ProjectionDim);
            capacityBatch = batch;
        }
    }
}
