using Actors.Sae;
using Actors.Vision.Clip;

namespace Actors.Analysis.Relevance;

/// <summary>
/// Act×Grad without a backward pass, seed 000 App. B.1 Eq. 31, for the two hooks where the output is one LayerNorm
/// and a projection away (or none): for a component u with coefficient a (latent: a_j, v_j; bias: 1, b; error: 1, ε),
/// R = a · ‖u − μ_u‖/‖h − μ_h‖ · ‖u'‖/‖x‖ · [cos(u', t) − cos(x, u') · y],
/// where u' = LN_γ,β=0[u] W_proj and x = LN_γ,β=0[h] W_proj (Eq. 15-20, LayerNorm as (u − μ)/‖u − μ‖ ∘ γ, i.e. ε_LN = 0).
/// <list type="bullet">
/// <item>Image-embedding hook: no LayerNorm follows, u' = u, the first factor is 1 — exact (Eq. 27-31).</item>
/// <item>Class token after the last block (seed 000's SAE): exact when LN_post has β = 0 and ε_LN = 0, the
/// paper's assumption (Eq. 6, "β → 0"); otherwise an approximation of <see cref="ActTimesGradient"/>.</item>
/// </list>
/// Score is the model's own y (with β); the bracket uses the β = 0 embedding, as the derivation does.
/// </summary>
public sealed class ActTimesGradientClosedForm(ClipVisionWeights? weights) : ILatentRelevance
{
    public string Name => "Act×Grad (Eq. 31)";

    public LatentRelevance Attribute(AttributionInput input)
    {
        var d = input.Decomposition;
        var hook = d.Image.Hook;
        bool embedding = hook.Site == HookSite.ImageEmbedding;
        if (!embedding && !(hook.Tokens == TokenSelection.Cls && weights is not null && hook.Layer == weights.Layers.Count - 1))
            throw new NotSupportedException($"Eq. 31 holds at the image embedding or the class token after the last block; hook {hook.HookName} is neither (use {nameof(ActTimesGradient)})");
        var h = d.Image.Row(0).ToArray();
        var t = input.Text.Select(v => (double)v).ToArray();
        double hCentred = embedding ? 1 : CentredNorm(h);
        var x = Project(h, embedding);
        double y = Cosine(x, t), xNorm = Norm(x);

        // One component's relevance, Eq. 31.
        double Component(double a, float[] u)
        {
            double uCentred = embedding ? 1 : CentredNorm(u);
            if (uCentred == 0) return 0;
            var uProjected = Project(u, embedding);
            double uNorm = Norm(uProjected);
            if (uNorm == 0 || xNorm == 0) return 0;
            return a * uCentred / hCentred * uNorm / xNorm * (Cosine(uProjected, t) - Cosine(x, uProjected) * y);
        }

        var a = d.Activations;
        var relevance = new double[a.Values.Length];
        for (int e = 0; e < a.Values.Length; e++)
            if (a.Values[e] != 0) relevance[e] = Component(a.Values[e], d.FeatureVector(a.Indices[e]));
        double score = input.Gradient.Score(d.Image, d.Image.Rows, input.Text);
        return LatentRelevance.FromEntries(Name, score, d, relevance, Component(1, d.Bias), Component(1, d.Error));
    }

    /// <summary>u' = LN_γ,0[u] W_projᵀ, in double; the identity at the image embedding.</summary>
    double[] Project(float[] u, bool embedding)
    {
        if (embedding) return u.Select(v => (double)v).ToArray();
        int w = u.Length, p = weights!.Projection.Length / w;
        double mean = u.Average(v => (double)v), norm = CentredNorm(u);
        var normed = new double[w];
        for (int i = 0; i < w; i++) normed[i] = norm == 0 ? 0 : (u[i] - mean) / norm * weights.PostLnGamma[i];
        var result = new double[p];
        for (int o = 0; o < p; o++)
        {
            double s = 0;
            for (int i = 0; i < w; i++) s += normed[i] * weights.Projection[o * w + i];
            result[o] = s;
        }
        return result;
    }

    static double CentredNorm(float[] u)
    {
        double mean = u.Average(v => (double)v), s = 0;
        foreach (var v in u) s += (v - mean) * (v - mean);
        return Math.Sqrt(s);
    }

    static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    static double Cosine(double[] a, double[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return aa > 0 && bb > 0 ? ab / Math.Sqrt(aa * bb) : 0;
    }
}
