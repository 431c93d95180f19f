using System.Numerics;
using System.Runtime.InteropServices;

namespace Actors.Sae.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Alg. 1, with bias correction) as a single fused pass per parameter block.
/// Dense on purpose: a latent that got no gradient this step still decays its moments and moves by its momentum,
/// exactly as torch.optim.Adam in SAELens. A "lazy" sparse Adam would change the optimiser; instead the caller
/// passes <c>gradient = empty</c> for untouched blocks so they are never zeroed or read (g = 0 is implied).
/// </summary>
public static class AdamOptimizer
{
    public readonly record struct StepConstants(float LearningRate, float Beta1, float Beta2, float Epsilon, long Step)
    {
        // p -= lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
        public float StepSize => (float)(LearningRate / (1 - Math.Pow(Beta1, Step)));
        public float InverseSqrtBias2 => (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, Step)));
    }

    public static void Update(Span<float> param, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in StepConstants c)
    {
        float b1 = c.Beta1, b2 = c.Beta2, a = c.StepSize, ib = c.InverseSqrtBias2, eps = c.Epsilon;
        int n = param.Length, i = 0, w = Vector<float>.Count;
        bool hasGrad = !gradient.IsEmpty;
        if (hasGrad && gradient.Length != n) throw new ArgumentException($"Adam: gradient has {gradient.Length} values, parameter {n}");
        var pv = MemoryMarshal.Cast<float, Vector<float>>(param);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var gv = hasGrad ? MemoryMarshal.Cast<float, Vector<float>>(gradient) : default;
        var b1v = new Vector<float>(b1); var b2v = new Vector<float>(b2);
        var ob1 = new Vector<float>(1 - b1); var ob2 = new Vector<float>(1 - b2);
        var av = new Vector<float>(a); var ibv = new Vector<float>(ib); var epsv = new Vector<float>(eps);
        for (int k = 0; k < pv.Length; k++)
        {
            var g = hasGrad ? gv[k] : Vector<float>.Zero;
            var mk = b1v * mv[k] + ob1 * g;
            var vk = b2v * vv[k] + ob2 * g * g;
            mv[k] = mk; vv[k] = vk;
            pv[k] -= av * mk / (Vector.SquareRoot(vk) * ibv + epsv);
        }
        for (i = pv.Length * w; i < n; i++)
        {
            float g = hasGrad ? gradient[i] : 0f;
            float mk = b1 * m[i] + (1 - b1) * g, vk = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mk; v[i] = vk;
            param[i] -= a * mk / (MathF.Sqrt(vk) * ib + eps);
        }
    }
}
