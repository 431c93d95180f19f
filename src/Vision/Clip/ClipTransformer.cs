using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;

namespace Actors.Vision.Clip;

/// <summary>
/// The stack of pre-LN residual blocks shared by both towers (Radford et al. 2021, CLIP, Sec. 2.4; the
/// GPT-2-style block): x ← x + out_proj(MHA(LN1(x))); x ← x + fc2(act(fc1(LN2(x)))).
/// Weights live on the backend; activations live in a reusable <see cref="TransformerScratch"/>.
/// </summary>
internal sealed class ClipTransformer
{
    sealed record Layer(Tensor Ln1G, Tensor Ln1B, Tensor QkvW, Tensor QkvB, Tensor OutW, Tensor OutB,
        Tensor Ln2G, Tensor Ln2B, Tensor Fc1W, Tensor Fc1B, Tensor Fc2W, Tensor Fc2B);

    readonly IComputeBackend backend;
    readonly Layer[] layers;
    readonly ActivationKind activation;
    readonly float eps;

    public ClipTransformer(IComputeBackend backend, IReadOnlyList<TransformerLayerWeights> weights,
        int width, int intermediate, int heads, ActivationKind activation, float eps)
    {
        this.backend = backend; this.activation = activation; this.eps = eps;
        Width = width; Intermediate = intermediate; Heads = heads;
        layers = weights.Select(w => new Layer(
            backend.FromHost(w.Ln1Gamma, width), backend.FromHost(w.Ln1Beta, width),
            backend.FromHost(w.QkvWeight, 3 * width, width), backend.FromHost(w.QkvBias, 3 * width),
            backend.FromHost(w.OutWeight, width, width), backend.FromHost(w.OutBias, width),
            backend.FromHost(w.Ln2Gamma, width), backend.FromHost(w.Ln2Beta, width),
            backend.FromHost(w.Fc1Weight, intermediate, width), backend.FromHost(w.Fc1Bias, intermediate),
            backend.FromHost(w.Fc2Weight, width, intermediate), backend.FromHost(w.Fc2Bias, width))).ToArray();
    }

    public int Width { get; }
    public int Intermediate { get; }
    public int Heads { get; }
    public int Count => layers.Length;

    /// <summary>Block <paramref name="index"/> on x (B·T, W) in place.</summary>
    public void Block(int index, Tensor x, TransformerScratch s, int batch, int tokens, bool causal)
    {
        var l = layers[index];
        AfterAttention(l, Attend(l, x, s, batch, tokens, causal), x, s, batch * tokens);
    }

    /// <summary>
    /// Block <paramref name="index"/> for the selected rows of x only, written to <paramref name="output"/>
    /// (selected.Length, W); x is left as it was. Attention still reads every token's keys and values, so the
    /// selected rows come out exactly as in <see cref="Block"/>; the output projection and the MLP, ¾ of a block's
    /// multiply-adds, run on the selected rows alone — all a class-token hook at this block needs.
    /// </summary>
    public void BlockForRows(int index, Tensor x, TransformerScratch s, int batch, int tokens,
        ReadOnlySpan<int> selected, ReadOnlySpan<int> firstRows, Tensor output)
    {
        var l = layers[index];
        int n = selected.Length;
        var att = Attend(l, x, s, batch, tokens, causal: false);
        var attended = s.Norm.Slice(0, n);
        backend.CopyRows(att, selected, attended, firstRows);
        backend.CopyRows(x, selected, output, firstRows);
        AfterAttention(l, attended, output, s, n);
    }

    // MHA(LN1(x)) for every row of x, in s.Attended.
    Tensor Attend(Layer l, Tensor x, TransformerScratch s, int batch, int tokens, bool causal)
    {
        int rows = batch * tokens;
        Tensor norm = s.Norm.Slice(0, rows), qkv = s.Qkv.Slice(0, rows), att = s.Attended.Slice(0, rows);
        backend.LayerNorm(x, l.Ln1G, l.Ln1B, norm, eps);
        backend.Linear(norm, l.QkvW, l.QkvB, qkv);
        backend.Attention(qkv, att, batch, tokens, Heads, causal);
        return att;
    }

    // x ← x + out_proj(att); x ← x + fc2(act(fc1(LN2(x)))) on rows matching row for row.
    void AfterAttention(Layer l, Tensor attended, Tensor x, TransformerScratch s, int rows)
    {
        Tensor norm = s.Norm.Slice(0, rows), proj = s.Projected.Slice(0, rows), hidden = s.Hidden.Slice(0, rows);
        backend.Linear(attended, l.OutW, l.OutB, proj);
        backend.AddInPlace(x, proj);
        backend.LayerNorm(x, l.Ln2G, l.Ln2B, norm, eps);
        backend.Linear(norm, l.Fc1W, l.Fc1B, hidden);
        backend.Activation(activation, hidden, hidden);
        backend.Linear(hidden, l.Fc2W, l.Fc2B, proj);
        backend.AddInPlace(x, proj);
    }
}

/// <summary>Activation buffers for up to <see cref="Rows"/> token rows, grown on demand and reused across forwards.</summary>
internal sealed class TransformerScratch(IComputeBackend backend, int width, int intermediate)
{
    public int Rows { get; private set; }
    public Tensor Norm { get; private set; } = null!;
    public Tensor Qkv { get; private set; } = null!;
    public Tensor Attended { get; private set; } = null!;
    public Tensor Projected { get; private set; } = null!;
    public Tensor Hidden { get; private set; } = null!;

    public void EnsureRows(int rows)
    {
        if (rows <= Rows) return;
        Norm = backend.Allocate(rows, width);
        Qkv = backend.Allocate(rows, 3 * width);
        Attended = backend.Allocate(rows, width);
        Projected = backend.Allocate(rows, width);
        Hidden = backend.Allocate(rows, intermediate);
        Rows = rows;
    }
}
