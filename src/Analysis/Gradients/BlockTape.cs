using Actors.Tensors.Kernels;
using Actors.Vision.Clip;

namespace Actors.Analysis.Gradients;

/// <summary>
/// One pre-LN residual block of CLIP's vision tower for one image, keeping what the backward pass needs:
/// mid = x + out_proj(MHA(LN1(x))), y = mid + fc2(act(fc1(LN2(mid)))) (Radford et al. 2021 Sec. 2.4).
/// Shapes: x, mid, y (T, W); qkv (T, 3W); probs (H, T, T); fc1 (T, I). Backward gives d/dx only — no parameter
/// gradients — through the Tensors kernels' backward functions (the same ones src/World/Training composes).
/// </summary>
internal sealed class BlockTape(TransformerLayerWeights w, int width, int intermediate, int heads, ActivationKind activation, float eps)
{
    int tokens = -1;
    float[] x = [], ln1 = [], ln1Mean = [], ln1Rstd = [], qkv = [], att = [], probs = [], mid = [];
    float[] ln2 = [], ln2Mean = [], ln2Rstd = [], fc1 = [], act = [];
    float[] dHidden = [], dFc1 = [], dNorm = [], dBranch = [], dAtt = [], dQkv = [], dGamma = [], dBeta = [];

    void Ensure(int t)
    {
        if (t == tokens) return;
        tokens = t;
        int c = width, i = intermediate;
        x = new float[t * c]; ln1 = new float[t * c]; ln1Mean = new float[t]; ln1Rstd = new float[t];
        qkv = new float[t * 3 * c]; att = new float[t * c]; probs = new float[heads * t * t]; mid = new float[t * c];
        ln2 = new float[t * c]; ln2Mean = new float[t]; ln2Rstd = new float[t]; fc1 = new float[t * i]; act = new float[t * i];
        dHidden = new float[t * i]; dFc1 = new float[t * i]; dNorm = new float[t * c]; dBranch = new float[t * c];
        dAtt = new float[t * c]; dQkv = new float[t * 3 * c]; dGamma = new float[c]; dBeta = new float[c];
    }

    /// <summary>x (T, W) → y (T, W); x is copied, so the caller may reuse it.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> y, int t)
    {
        int c = width;
        if (input.Length != t * c || y.Length != t * c)
            throw new ArgumentException($"BlockTape.Forward: x and y must be (T={t}, W={c}), found {input.Length} and {y.Length}");
        Ensure(t);
        input.CopyTo(x);
        LayerNorm.Forward(x, w.Ln1Gamma, w.Ln1Beta, ln1, ln1Mean, ln1Rstd, t, c, eps);
        Linear.Forward(ln1, w.QkvWeight, w.QkvBias, qkv, t, c, 3 * c);
        Attention.Forward(qkv, att, probs, 1, t, c, heads, causal: false);
        Linear.Forward(att, w.OutWeight, w.OutBias, mid, t, c, c);
        Elementwise.AddInPlace(mid, x);
        LayerNorm.Forward(mid, w.Ln2Gamma, w.Ln2Beta, ln2, ln2Mean, ln2Rstd, t, c, eps);
        Linear.Forward(ln2, w.Fc1Weight, w.Fc1Bias, fc1, t, c, intermediate);
        Activations.Forward(activation, fc1, act);
        Linear.Forward(act, w.Fc2Weight, w.Fc2Bias, y, t, intermediate, c);
        Elementwise.AddInPlace(y, mid);
    }

    /// <summary>dy (T, W): d/dy of the last Forward on entry, d/dx on exit (in place, the residual path).</summary>
    public void Backward(Span<float> dy)
    {
        int t = tokens, c = width;
        if (t < 0 || dy.Length != t * c) throw new ArgumentException($"BlockTape.Backward: expects the (T={t}, W={c}) shape of the last Forward");
        // MLP branch: y = mid + fc2(act(fc1(LN2(mid))))
        InputGradient(dy, w.Fc2Weight, dHidden, t, intermediate, c);
        Activations.Backward(activation, fc1, dHidden, dFc1);
        InputGradient(dFc1, w.Fc1Weight, dNorm, t, c, intermediate);
        Array.Clear(dGamma); Array.Clear(dBeta);              // parameter gradients: scratch, unused
        LayerNorm.Backward(dNorm, mid, w.Ln2Gamma, ln2Mean, ln2Rstd, dBranch, dGamma, dBeta, t, c);
        Elementwise.AddInPlace(dy, dBranch);                  // dy is now d/dmid
        // attention branch: mid = x + out_proj(MHA(qkv(LN1(x))))
        InputGradient(dy, w.OutWeight, dAtt, t, c, c);
        Attention.Backward(dAtt, qkv, probs, dQkv, 1, t, c, heads, causal: false);
        InputGradient(dQkv, w.QkvWeight, dNorm, t, c, 3 * c);
        LayerNorm.Backward(dNorm, x, w.Ln1Gamma, ln1Mean, ln1Rstd, dBranch, dGamma, dBeta, t, c);
        Elementwise.AddInPlace(dy, dBranch);                  // dy is now d/dx
    }

    /// <summary>nn.Linear's input gradient: dx (N, C) = dy (N, OC) · w (OC, C). Linear.Backward would also form dw.</summary>
    internal static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, int n, int c, int oc) =>
        Blas.Sgemm(false, false, n, c, oc, 1f, dy, oc, weight, c, 0f, dx, c);
}
