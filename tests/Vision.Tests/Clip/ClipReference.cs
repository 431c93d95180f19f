using Actors.Tensors.Kernels;
using Actors.Vision.Checkpoints;
using Actors.Vision.Clip;

namespace Actors.Vision.Tests.Clip;

/// <summary>
/// A plain re-statement of CLIP's forward equations for tests: scalar loops, double accumulation, one image or
/// text at a time, reading the Hugging Face tensors by name (separate q/k/v projections, conv weight (W,C,P,P)).
/// Shares nothing with the backend, the kernels or the loaders.
/// </summary>
internal sealed class ClipReference(IReadOnlyDictionary<string, NamedTensor> tensors, ClipConfig config)
{
    public static ClipReference From(ClipWeights weights) =>
        new(HuggingFaceClipLayout.ToTensors(weights).ToDictionary(t => t.Name), weights.Config);

    float[] T(string name) => tensors[name].Data;

    /// <summary>Residual (T, W) per block: called after block l; may edit it in place.</summary>
    public delegate void Edit(int layer, int image, double[][] residual);

    /// <summary>Vision residual stream of one image (C,H,W) after block <paramref name="stopAfter"/> (or all blocks).</summary>
    public double[][] VisionResidual(ReadOnlySpan<float> pixels, int stopAfter = int.MaxValue, Edit? edit = null, int image = 0)
    {
        var v = config.Vision;
        int w = v.HiddenSize, p = v.PatchSize, g = v.PatchesPerSide, s = v.ImageSize;
        var conv = T("vision_model.embeddings.patch_embedding.weight");
        var cls = T("vision_model.embeddings.class_embedding");
        var pos = T("vision_model.embeddings.position_embedding.weight");
        var x = new double[v.Tokens][];
        x[0] = new double[w];
        for (int o = 0; o < w; o++) x[0][o] = cls[o] + pos[o];
        for (int py = 0; py < g; py++)
            for (int px = 0; px < g; px++)
            {
                int tok = 1 + py * g + px;
                x[tok] = new double[w];
                for (int o = 0; o < w; o++)
                {
                    double sum = 0;
                    for (int c = 0; c < v.Channels; c++)
                        for (int ky = 0; ky < p; ky++)
                            for (int kx = 0; kx < p; kx++)
                                sum += (double)conv[((o * v.Channels + c) * p + ky) * p + kx] * pixels[(c * s + py * p + ky) * s + px * p + kx];
                    x[tok][o] = sum + pos[tok * w + o];
                }
            }
        x = x.Select(row => LayerNorm(row, T("vision_model.pre_layrnorm.weight"), T("vision_model.pre_layrnorm.bias"), v.LayerNormEps)).ToArray();
        for (int l = 0; l < v.Layers && l <= stopAfter; l++)
        {
            Block(x, $"vision_model.encoder.layers.{l}", v.Heads, v.Activation, v.LayerNormEps, causal: false);
            edit?.Invoke(l, image, x);
        }
        return x;
    }

    /// <summary>Projected image embeddings (B, proj), not normalised.</summary>
    public double[][] ImageEmbeds(float[] pixels, int batch, Edit? edit = null)
    {
        var v = config.Vision;
        int per = v.Channels * v.ImageSize * v.ImageSize;
        var result = new double[batch][];
        for (int b = 0; b < batch; b++)
        {
            var x = VisionResidual(pixels.AsSpan(b * per, per), int.MaxValue, edit, b);
            var pooled = LayerNorm(x[0], T("vision_model.post_layernorm.weight"), T("vision_model.post_layernorm.bias"), v.LayerNormEps);
            result[b] = Linear(pooled, T("visual_projection.weight"), null, config.ProjectionDim);
        }
        return result;
    }

    /// <summary>Projected text embeddings (B, proj) for ids (B, n), the full sequence through every block.</summary>
    public double[][] TextEmbeds(int[] ids, int batch)
    {
        var t = config.Text;
        int n = ids.Length / batch, w = t.HiddenSize;
        var tok = T("text_model.embeddings.token_embedding.weight");
        var pos = T("text_model.embeddings.position_embedding.weight");
        var result = new double[batch][];
        for (int b = 0; b < batch; b++)
        {
            var row = ids.AsSpan(b * n, n).ToArray();
            var x = new double[n][];
            for (int i = 0; i < n; i++)
            {
                x[i] = new double[w];
                for (int j = 0; j < w; j++) x[i][j] = tok[row[i] * w + j] + pos[i * w + j];
            }
            for (int l = 0; l < t.Layers; l++)
                Block(x, $"text_model.encoder.layers.{l}", t.Heads, t.Activation, t.LayerNormEps, causal: true);
            var final = x.Select(r => LayerNorm(r, T("text_model.final_layer_norm.weight"), T("text_model.final_layer_norm.bias"), t.LayerNormEps)).ToArray();
            // transformers: eos_token_id == 2 → argmax(ids); else the first position holding eos_token_id.
            int at = t.EosTokenId == 2 || t.Pooling == EotPooling.ArgMaxId
                ? Array.IndexOf(row, row.Max())
                : Array.IndexOf(row, t.EosTokenId);
            result[b] = Linear(final[at], T("text_projection.weight"), null, config.ProjectionDim);
        }
        return result;
    }

    /// <summary>CLIP Fig. 3: exp(t) · cos(image, text).</summary>
    public double[][] Logits(double[][] images, double[][] texts)
    {
        double scale = Math.Exp(T("logit_scale")[0]);
        static double Norm(double[] a) => Math.Sqrt(a.Sum(x => x * x));
        return images.Select(i => texts.Select(t => scale * i.Zip(t, (a, b) => a * b).Sum() / (Norm(i) * Norm(t))).ToArray()).ToArray();
    }

    void Block(double[][] x, string prefix, int heads, ActivationKind act, float eps, bool causal)
    {
        int n = x.Length, w = x[0].Length, d = w / heads;
        var a = x.Select(r => LayerNorm(r, T($"{prefix}.layer_norm1.weight"), T($"{prefix}.layer_norm1.bias"), eps)).ToArray();
        var q = a.Select(r => Linear(r, T($"{prefix}.self_attn.q_proj.weight"), T($"{prefix}.self_attn.q_proj.bias"), w)).ToArray();
        var k = a.Select(r => Linear(r, T($"{prefix}.self_attn.k_proj.weight"), T($"{prefix}.self_attn.k_proj.bias"), w)).ToArray();
        var v = a.Select(r => Linear(r, T($"{prefix}.self_attn.v_proj.weight"), T($"{prefix}.self_attn.v_proj.bias"), w)).ToArray();
        var attended = new double[n][];
        for (int i = 0; i < n; i++) attended[i] = new double[w];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < n; i++)
            {
                // Attention(Q,K,V) = softmax(QKᵀ/√d)V (Vaswani et al. 2017, Eq. 1), keys after i masked when causal.
                int keys = causal ? i + 1 : n;
                var score = new double[keys];
                for (int j = 0; j < keys; j++)
                {
                    double s = 0;
                    for (int e = 0; e < d; e++) s += q[i][h * d + e] * k[j][h * d + e];
                    score[j] = s / Math.Sqrt(d);
                }
                double max = score.Max(), z = score.Sum(s => Math.Exp(s - max));
                for (int j = 0; j < keys; j++)
                {
                    double pj = Math.Exp(score[j] - max) / z;
                    for (int e = 0; e < d; e++) attended[i][h * d + e] += pj * v[j][h * d + e];
                }
            }
        for (int i = 0; i < n; i++)
        {
            var o = Linear(attended[i], T($"{prefix}.self_attn.out_proj.weight"), T($"{prefix}.self_attn.out_proj.bias"), w);
            for (int j = 0; j < w; j++) x[i][j] += o[j];
        }
        var fc1 = T($"{prefix}.mlp.fc1.bias").Length;
        for (int i = 0; i < n; i++)
        {
            var m = LayerNorm(x[i], T($"{prefix}.layer_norm2.weight"), T($"{prefix}.layer_norm2.bias"), eps);
            var hidden = Linear(m, T($"{prefix}.mlp.fc1.weight"), T($"{prefix}.mlp.fc1.bias"), fc1).Select(z => Activation(act, z)).ToArray();
            var o = Linear(hidden, T($"{prefix}.mlp.fc2.weight"), T($"{prefix}.mlp.fc2.bias"), w);
            for (int j = 0; j < w; j++) x[i][j] += o[j];
        }
    }

    static double[] LayerNorm(double[] x, float[] gamma, float[] beta, float eps)
    {
        double mean = x.Average(), variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        double rstd = 1 / Math.Sqrt(variance + eps);
        return x.Select((v, i) => (v - mean) * rstd * gamma[i] + beta[i]).ToArray();
    }

    static double[] Linear(double[] x, float[] weight, float[]? bias, int outputs)
    {
        int c = x.Length;
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double s = bias?[o] ?? 0;
            for (int i = 0; i < c; i++) s += weight[o * c + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    static double Activation(ActivationKind kind, double x) => kind switch
    {
        ActivationKind.QuickGelu => x / (1 + Math.Exp(-1.702 * x)),
        ActivationKind.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        ActivationKind.GeluTanh => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        ActivationKind.Relu => Math.Max(0, x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>erf by its Maclaurin series (|x| ≤ 3) or the asymptotic continued fraction — ample for float tests.</summary>
    static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax > 5) return Math.Sign(x);
        double sum = 0, term = ax;
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -ax * ax / (n + 1);
            if (Math.Abs(term) < 1e-17) break;
        }
        return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * sum;
    }
}
