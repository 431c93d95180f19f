using Actors.Tensors.Kernels;

namespace Actors.World.Training;

/// <summary>The parameters of one pre-LN residual attention block, named as Hugging Face CLIPEncoderLayer.</summary>
public sealed record BlockParameters(
    ParameterTensor Ln1Weight, ParameterTensor Ln1Bias,
    ParameterTensor QkvWeight, ParameterTensor QkvBias,
    ParameterTensor OutWeight, ParameterTensor OutBias,
    ParameterTensor Ln2Weight, ParameterTensor Ln2Bias,
    ParameterTensor Fc1Weight, ParameterTensor Fc1Bias,
    ParameterTensor Fc2Weight, ParameterTensor Fc2Bias)
{
    /// <summary>
    /// Appends one block's tensors. q, k, v weights (then biases) are appended back to back, so together they are
    /// exactly the packed in_proj (3C,C) and (3C) that the attention kernel consumes, without copying.
    /// </summary>
    public static BlockParameters Add(ParameterLayout layout, string prefix, int width)
    {
        int c = width;
        var ln1w = layout.Add($"{prefix}.layer_norm1.weight", [c], false);
        var ln1b = layout.Add($"{prefix}.layer_norm1.bias", [c], false);
        var qw = layout.Add($"{prefix}.self_attn.q_proj.weight", [c, c], true);
        layout.Add($"{prefix}.self_attn.k_proj.weight", [c, c], true);
        layout.Add($"{prefix}.self_attn.v_proj.weight", [c, c], true);
        var qb = layout.Add($"{prefix}.self_attn.q_proj.bias", [c], false);
        layout.Add($"{prefix}.self_attn.k_proj.bias", [c], false);
        layout.Add($"{prefix}.self_attn.v_proj.bias", [c], false);
        var ow = layout.Add($"{prefix}.self_attn.out_proj.weight", [c, c], true);
        var ob = layout.Add($"{prefix}.self_attn.out_proj.bias", [c], false);
        var ln2w = layout.Add($"{prefix}.layer_norm2.weight", [c], false);
        var ln2b = layout.Add($"{prefix}.layer_norm2.bias", [c], false);
        var f1w = layout.Add($"{prefix}.mlp.fc1.weight", [4 * c, c], true);
        var f1b = layout.Add($"{prefix}.mlp.fc1.bias", [4 * c], false);
        var f2w = layout.Add($"{prefix}.mlp.fc2.weight", [c, 4 * c], true);
        var f2b = layout.Add($"{prefix}.mlp.fc2.bias", [c], false);
        return new BlockParameters(ln1w, ln1b,
            qw with { Shape = [3 * c, c] }, qb with { Shape = [3 * c] },
            ow, ob, ln2w, ln2b, f1w, f1b, f2w, f2b);
    }
}

/// <summary>
/// One pre-LN residual block with saved activations (Radford et al. 2021 / Vaswani et al. 2017 with pre-norm):
/// x' = x + out_proj(attn(LN1(x))), y = x' + fc2(act(fc1(LN2(x')))), act quick_gelu or gelu (ActivationKind).
/// Shapes: x, y (B,T,C); qkv (B,T,3C); probs (B,H,T,T); fc1 (B,T,4C).
/// </summary>
public sealed class ResidualBlockTraining
{
    readonly BlockParameters _p;
    readonly int _c, _heads;
    readonly bool _causal;
    readonly float _eps;
    readonly ActivationKind _activation;
    int _b = -1, _t = -1;
    float[] _ln1 = [], _ln1Mean = [], _ln1Rstd = [], _qkv = [], _att = [], _probs = [], _mid = [];
    float[] _ln2 = [], _ln2Mean = [], _ln2Rstd = [], _fc1 = [], _act = [];
    // scratch for backward
    float[] _dAct = [], _dFc1 = [], _dLn = [], _dTmp = [], _dAtt = [], _dQkv = [];

    public ResidualBlockTraining(BlockParameters p, int width, int heads, bool causal, float eps,
        ActivationKind activation = ActivationKind.QuickGelu)
    {
        _p = p; _c = width; _heads = heads; _causal = causal; _eps = eps; _activation = activation;
    }

    void Ensure(int b, int t)
    {
        if (b == _b && t == _t) return;
        _b = b; _t = t;
        int rows = b * t, c = _c;
        _ln1 = new float[rows * c]; _ln1Mean = new float[rows]; _ln1Rstd = new float[rows];
        _qkv = new float[rows * 3 * c]; _att = new float[rows * c]; _probs = new float[b * _heads * t * t];
        _mid = new float[rows * c]; _ln2 = new float[rows * c]; _ln2Mean = new float[rows]; _ln2Rstd = new float[rows];
        _fc1 = new float[rows * 4 * c]; _act = new float[rows * 4 * c];
        _dAct = new float[rows * 4 * c]; _dFc1 = new float[rows * 4 * c]; _dLn = new float[rows * c];
        _dTmp = new float[rows * c]; _dAtt = new float[rows * c]; _dQkv = new float[rows * 3 * c];
    }

    static ReadOnlySpan<float> View(float[] buffer, ParameterTensor t) => buffer.AsSpan(t.Offset, t.Length);
    static Span<float> Grad(float[] buffer, ParameterTensor t) => buffer.AsSpan(t.Offset, t.Length);

    /// <summary>x (B,T,C) → y (B,T,C); x must stay unchanged until Backward (it is the LN1 input).</summary>
    public void Forward(float[] w, ReadOnlySpan<float> x, Span<float> y, int b, int t)
    {
        int rows = b * t, c = _c;
        if (x.Length != rows * c || y.Length != rows * c)
            throw new ArgumentException($"ResidualBlock.Forward: x and y must be (B={b},T={t},C={c}), found {x.Length} and {y.Length}");
        Ensure(b, t);
        LayerNorm.Forward(x, View(w, _p.Ln1Weight), View(w, _p.Ln1Bias), _ln1, _ln1Mean, _ln1Rstd, rows, c, _eps);
        Linear.Forward(_ln1, View(w, _p.QkvWeight), View(w, _p.QkvBias), _qkv, rows, c, 3 * c);
        Attention.Forward(_qkv, _att, _probs, b, t, c, _heads, _causal);
        Linear.Forward(_att, View(w, _p.OutWeight), View(w, _p.OutBias), _mid, rows, c, c);
        Elementwise.AddInPlace(_mid, x);
        LayerNorm.Forward(_mid, View(w, _p.Ln2Weight), View(w, _p.Ln2Bias), _ln2, _ln2Mean, _ln2Rstd, rows, c, _eps);
        Linear.Forward(_ln2, View(w, _p.Fc1Weight), View(w, _p.Fc1Bias), _fc1, rows, c, 4 * c);
        Activations.Forward(_activation, _fc1, _act);
        Linear.Forward(_act, View(w, _p.Fc2Weight), View(w, _p.Fc2Bias), y, rows, 4 * c, c);
        Elementwise.AddInPlace(y, _mid);
    }

    /// <summary>
    /// dy: on entry d loss/d y, on exit d loss/d x (updated in place, the residual path). x: the Forward input.
    /// Parameter gradients accumulate (+=) into g.
    /// </summary>
    public void Backward(float[] w, float[] g, ReadOnlySpan<float> x, Span<float> dy, int b, int t)
    {
        int rows = b * t, c = _c;
        if (x.Length != rows * c || dy.Length != rows * c || _ln1.Length != rows * c)
            throw new ArgumentException($"ResidualBlock.Backward: expects the (B={b},T={t},C={c}) shape of the last Forward");
        // MLP branch: y = mid + fc2(act(fc1(LN2(mid))))
        Linear.Backward(dy, _act, View(w, _p.Fc2Weight), _dAct, Grad(g, _p.Fc2Weight), Grad(g, _p.Fc2Bias), rows, 4 * c, c);
        Activations.Backward(_activation, _fc1, _dAct, _dFc1);
        Linear.Backward(_dFc1, _ln2, View(w, _p.Fc1Weight), _dLn, Grad(g, _p.Fc1Weight), Grad(g, _p.Fc1Bias), rows, c, 4 * c);
        LayerNorm.Backward(_dLn, _mid, View(w, _p.Ln2Weight), _ln2Mean, _ln2Rstd, _dTmp, Grad(g, _p.Ln2Weight), Grad(g, _p.Ln2Bias), rows, c);
        Elementwise.AddInPlace(dy, _dTmp);                    // dy is now d loss / d mid
        // attention branch: mid = x + out_proj(attn(qkv(LN1(x))))
        Linear.Backward(dy, _att, View(w, _p.OutWeight), _dAtt, Grad(g, _p.OutWeight), Grad(g, _p.OutBias), rows, c, c);
        Attention.Backward(_dAtt, _qkv, _probs, _dQkv, b, t, c, _heads, _causal);
        Linear.Backward(_dQkv, _ln1, View(w, _p.QkvWeight), _dLn, Grad(g, _p.QkvWeight), Grad(g, _p.QkvBias), rows, c, 3 * c);
        LayerNorm.Backward(_dLn, x, View(w, _p.Ln1Weight), _ln1Mean, _ln1Rstd, _dTmp, Grad(g, _p.Ln1Weight), Grad(g, _p.Ln1Bias), rows, c);
        Elementwise.AddInPlace(dy, _dTmp);                    // dy is now d loss / d x
    }
}
