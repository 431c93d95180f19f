namespace Actors.World.Tests.Training;

/// <summary>
/// A plain double-precision CLIP written straight from the equations (no kernels, no shared code with the
/// training graph): used as the independent forward and as the function that finite differences differentiate.
/// Parameters are read by Hugging Face name from a flat double array via a name → (offset, length) lookup.
/// </summary>
sealed class ClipReference(Actors.World.Training.ClipTrainingConfig cfg, Func<string, (int Offset, int Length)> find)
{
    double[] _p = [];
    double[] T(string name) { var (o, l) = find(name); return _p.AsSpan(o, l).ToArray(); }

    public static double[] LayerNorm(double[] x, int rows, int dim, double[] g, double[] b, double eps)
    {
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0; for (int i = 0; i < dim; i++) mean += x[r * dim + i]; mean /= dim;
            double v = 0; for (int i = 0; i < dim; i++) v += (x[r * dim + i] - mean) * (x[r * dim + i] - mean); v /= dim;
            for (int i = 0; i < dim; i++) y[r * dim + i] = (x[r * dim + i] - mean) / Math.Sqrt(v + eps) * g[i] + b[i];
        }
        return y;
    }

    public static double[] Linear(double[] x, int rows, int inDim, double[] w, double[]? b, int outDim)
    {
        var y = new double[rows * outDim];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                double s = b?[o] ?? 0;
                for (int i = 0; i < inDim; i++) s += x[r * inDim + i] * w[o * inDim + i];
                y[r * outDim + o] = s;
            }
        return y;
    }

    /// <summary>q,k,v are the three separate projections (HF q_proj/k_proj/v_proj), not a packed tensor.</summary>
    public static double[] Attention(double[] q, double[] k, double[] v, int batch, int t, int c, int heads, bool causal)
    {
        int d = c / heads;
        var o = new double[batch * t * c];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    var s = new double[t];
                    double max = double.NegativeInfinity;
                    int last = causal ? i : t - 1;
                    for (int j = 0; j <= last; j++)
                    {
                        double dot = 0;
                        for (int e = 0; e < d; e++) dot += q[(b * t + i) * c + h * d + e] * k[(b * t + j) * c + h * d + e];
                        s[j] = dot / Math.Sqrt(d); max = Math.Max(max, s[j]);
                    }
                    double z = 0; for (int j = 0; j <= last; j++) { s[j] = Math.Exp(s[j] - max); z += s[j]; }
                    for (int j = 0; j <= last; j++)
                        for (int e = 0; e < d; e++) o[(b * t + i) * c + h * d + e] += s[j] / z * v[(b * t + j) * c + h * d + e];
                }
        return o;
    }

    public static double QuickGelu(double x) => x / (1 + Math.Exp(-1.702 * x));

    /// <summary>x·Φ(x) with erf from its Maclaurin series (relative error ~1e-7 at |x| = 7, better nearer 0).</summary>
    public static double Gelu(double x)
    {
        double z = Math.Clamp(x / Math.Sqrt(2), -5, 5), term = z, sum = z;
        for (int n = 1; n < 400 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++) { term *= -z * z / n; sum += term / (2 * n + 1); }
        return 0.5 * x * (1 + 2 / Math.Sqrt(Math.PI) * sum);
    }

    double Act(double x) => cfg.Activation == Actors.Tensors.Kernels.ActivationKind.Gelu ? Gelu(x) : QuickGelu(x);

    public double[] Block(double[] x, string prefix, int batch, int t, int c, int heads, bool causal)
    {
        int rows = batch * t;
        double eps = cfg.LayerNormEps;
        var h = LayerNorm(x, rows, c, T($"{prefix}.layer_norm1.weight"), T($"{prefix}.layer_norm1.bias"), eps);
        var q = Linear(h, rows, c, T($"{prefix}.self_attn.q_proj.weight"), T($"{prefix}.self_attn.q_proj.bias"), c);
        var k = Linear(h, rows, c, T($"{prefix}.self_attn.k_proj.weight"), T($"{prefix}.self_attn.k_proj.bias"), c);
        var v = Linear(h, rows, c, T($"{prefix}.self_attn.v_proj.weight"), T($"{prefix}.self_attn.v_proj.bias"), c);
        var a = Attention(q, k, v, batch, t, c, heads, causal);
        var o = Linear(a, rows, c, T($"{prefix}.self_attn.out_proj.weight"), T($"{prefix}.self_attn.out_proj.bias"), c);
        var mid = x.Zip(o, (p, r) => p + r).ToArray();
        var h2 = LayerNorm(mid, rows, c, T($"{prefix}.layer_norm2.weight"), T($"{prefix}.layer_norm2.bias"), eps);
        var f1 = Linear(h2, rows, c, T($"{prefix}.mlp.fc1.weight"), T($"{prefix}.mlp.fc1.bias"), 4 * c).Select(Act).ToArray();
        var f2 = Linear(f1, rows, 4 * c, T($"{prefix}.mlp.fc2.weight"), T($"{prefix}.mlp.fc2.bias"), c);
        return mid.Zip(f2, (p, r) => p + r).ToArray();
    }

    public double[] BlockWith(double[] parameters, double[] x, string prefix, int batch, int t, int c, int heads, bool causal)
    { _p = parameters; return Block(x, prefix, batch, t, c, heads, causal); }

    /// <summary>pixels (B,3,S,S) → (B,E), the patch embedding computed as the convolution it is.</summary>
    public double[] Images(double[] parameters, float[] pixels, int batch)
    {
        _p = parameters;
        int s = cfg.ImageSize, p = cfg.PatchSize, g = s / p, w = cfg.VisionWidth, t = cfg.VisionTokens;
        var conv = T("vision_model.embeddings.patch_embedding.weight");   // (W,3,P,P)
        var cls = T("vision_model.embeddings.class_embedding");
        var pos = T("vision_model.embeddings.position_embedding.weight");
        var x = new double[batch * t * w];
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < w; o++) x[b * t * w + o] = cls[o] + pos[o];
            for (int gy = 0; gy < g; gy++)
                for (int gx = 0; gx < g; gx++)
                    for (int o = 0; o < w; o++)
                    {
                        double sum = 0;
                        for (int ch = 0; ch < 3; ch++)
                            for (int yy = 0; yy < p; yy++)
                                for (int xx = 0; xx < p; xx++)
                                    sum += conv[((o * 3 + ch) * p + yy) * p + xx] * pixels[((b * 3 + ch) * s + gy * p + yy) * s + gx * p + xx];
                        int tok = 1 + gy * g + gx;
                        x[(b * t + tok) * w + o] = sum + pos[tok * w + o];
                    }
        }
        x = LayerNorm(x, batch * t, w, T("vision_model.pre_layrnorm.weight"), T("vision_model.pre_layrnorm.bias"), cfg.LayerNormEps);
        for (int l = 0; l < cfg.VisionLayers; l++) x = Block(x, $"vision_model.encoder.layers.{l}", batch, t, w, cfg.VisionHeads, false);
        var pooled = new double[batch * w];
        for (int b = 0; b < batch; b++) Array.Copy(x, b * t * w, pooled, b * w, w);
        pooled = LayerNorm(pooled, batch, w, T("vision_model.post_layernorm.weight"), T("vision_model.post_layernorm.bias"), cfg.LayerNormEps);
        return Linear(pooled, batch, w, T("visual_projection.weight"), null, cfg.EmbedDim);
    }

    /// <summary>ids (B,T), eot (B) → (B,E); final LN over all tokens, then pooling at eot (HF order).</summary>
    public double[] Texts(double[] parameters, int[] ids, int[] eot, int batch)
    {
        _p = parameters;
        int t = cfg.ContextLength, w = cfg.TextWidth;
        var tok = T("text_model.embeddings.token_embedding.weight");
        var pos = T("text_model.embeddings.position_embedding.weight");
        var x = new double[batch * t * w];
        for (int i = 0; i < batch * t; i++)
            for (int o = 0; o < w; o++) x[i * w + o] = tok[ids[i] * w + o] + pos[i % t * w + o];
        for (int l = 0; l < cfg.TextLayers; l++) x = Block(x, $"text_model.encoder.layers.{l}", batch, t, w, cfg.TextHeads, true);
        x = LayerNorm(x, batch * t, w, T("text_model.final_layer_norm.weight"), T("text_model.final_layer_norm.bias"), cfg.LayerNormEps);
        var pooled = new double[batch * w];
        for (int b = 0; b < batch; b++) Array.Copy(x, (b * t + eot[b]) * w, pooled, b * w, w);
        return Linear(pooled, batch, w, T("text_projection.weight"), null, cfg.EmbedDim);
    }

    /// <summary>Symmetric InfoNCE in double (CLIP, Fig. 3).</summary>
    public static double InfoNce(double[] img, double[] txt, double t, int b, int e)
    {
        double[] Norm(double[] x)
        {
            var y = new double[x.Length];
            for (int r = 0; r < b; r++)
            {
                double s = 0; for (int i = 0; i < e; i++) s += x[r * e + i] * x[r * e + i];
                for (int i = 0; i < e; i++) y[r * e + i] = x[r * e + i] / Math.Sqrt(s);
            }
            return y;
        }
        var a = Norm(img); var c = Norm(txt);
        var l = new double[b, b];
        for (int i = 0; i < b; i++) for (int j = 0; j < b; j++)
        { double s = 0; for (int k = 0; k < e; k++) s += a[i * e + k] * c[j * e + k]; l[i, j] = Math.Exp(t) * s; }
        double loss = 0;
        for (int i = 0; i < b; i++)
        {
            double row = 0, col = 0;
            for (int j = 0; j < b; j++) { row += Math.Exp(l[i, j]); col += Math.Exp(l[j, i]); }
            loss += -(l[i, i] - Math.Log(row)) - (l[i, i] - Math.Log(col));
        }
        return loss / (2 * b);
    }

    public double Loss(double[] parameters, float[] pixels, int[] ids, int[] eot, int batch)
    {
        var img = Images(parameters, pixels, batch);
        var txt = Texts(parameters, ids, eot, batch);
        var (o, _) = find("logit_scale");
        return InfoNce(img, txt, parameters[o], batch, cfg.EmbedDim);
    }
}
