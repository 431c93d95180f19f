using Actors.Tensors.Kernels;

namespace Actors.Tensors.Backends;

/// <summary>
/// The seam between model code and the hardware. CLIP (and later the SAE) is written only against these
/// operations, so an accelerator backend (cuBLAS + small device kernels) plugs in without touching model code.
/// Shapes follow llm.c conventions: "rows" are all leading dimensions flattened, "columns" the last one.
/// Every operation checks its shapes and throws an <see cref="ArgumentException"/> naming the operand.
/// </summary>
public interface IComputeBackend
{
    string Name { get; }

    /// <summary>A new zero-filled tensor.</summary>
    Tensor Allocate(params int[] shape);

    /// <summary>A tensor holding <paramref name="data"/>. Host backends may adopt the array without copying,
    /// so the caller must not change it afterwards.</summary>
    Tensor FromHost(float[] data, params int[] shape);

    void CopyToHost(Tensor source, Span<float> destination);
    void CopyFromHost(ReadOnlySpan<float> source, Tensor destination);

    /// <summary>Direct access to the values when they live in host memory (CPU backend); false otherwise,
    /// in which case callers copy with <see cref="CopyToHost"/>/<see cref="CopyFromHost"/>.</summary>
    bool TryGetHostSpan(Tensor tensor, out Span<float> values);

    /// <summary>nn.Linear: y (N,OC) = x (N,C) · w (OC,C)ᵀ + bias (OC); bias null = none.</summary>
    void Linear(Tensor x, Tensor weight, Tensor? bias, Tensor y);

    /// <summary>LayerNorm over the last dimension: y = (x − mean)/√(var + eps) · gamma + beta.</summary>
    void LayerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, float eps);

    /// <summary>Multi-head scaled dot-product self-attention. qkv (B,T,3C) packed [q|k|v] per token → output (B,T,C);
    /// causal masks keys after the query (CLIP's text transformer).</summary>
    void Attention(Tensor qkv, Tensor output, int batch, int tokens, int heads, bool causal);

    /// <summary>y = act(x) elementwise; x and y may be the same tensor.</summary>
    void Activation(ActivationKind kind, Tensor x, Tensor y);

    /// <summary>y = a + b elementwise.</summary>
    void Add(Tensor a, Tensor b, Tensor y);

    /// <summary>y += x elementwise (residual connections).</summary>
    void AddInPlace(Tensor y, Tensor x);

    /// <summary>y (R·n, C) += x (n, C) repeated over the leading rows, i.e. y[r] += x[r mod n] (position embeddings).</summary>
    void AddRepeated(Tensor y, Tensor x);

    /// <summary>x *= s.</summary>
    void Scale(Tensor x, float s);

    /// <summary>Softmax over each row (last dimension), in place.</summary>
    void Softmax(Tensor x);

    /// <summary>dst[dstRows[i]] = src[srcRows[i]] row by row (last dimension is the row length of both).</summary>
    void CopyRows(Tensor source, ReadOnlySpan<int> sourceRows, Tensor destination, ReadOnlySpan<int> destinationRows);

    /// <summary>dst[i] = table[rows[i]]: embedding look-up and row selection.</summary>
    void GatherRows(Tensor table, ReadOnlySpan<int> rows, Tensor destination);

    /// <summary>Unfold non-overlapping patch×patch tiles of images (B,C,H,W) into rows (B·(H/p)·(W/p), C·p·p),
    /// patches in raster order and each row flattened as (c, ky, kx) — the layout of a Conv2d weight (O,C,p,p),
    /// so the stride-p convolution becomes one matrix product.</summary>
    void ExtractPatches(Tensor images, int patch, Tensor patches);

    /// <summary>Per row, the k largest values in descending order and their column indices (written to host spans).</summary>
    void TopK(Tensor x, int k, Span<int> indices, Span<float> values);
}
