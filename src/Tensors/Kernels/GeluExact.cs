using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Actors.Tensors.Kernels;

/// <summary>
/// Vectorised Φ(x) and φ(x) for the exact GELU x·Φ(x), in double lanes with the same two Chebyshev interpolants
/// as <see cref="ErrorFunction"/>: both branches are evaluated for every lane and selected, and exp(−x²/2) is
/// computed once per chunk by TensorPrimitives.Exp, shared by erfc's tail and by φ for the derivative.
/// </summary>
internal static class GeluExact
{
    const double InvSqrt2 = 0.70710678118654752440;
    const double InvSqrt2Pi = 0.39894228040143267794;

    [ThreadStatic] static double[]? scratch;

    /// <summary>y = x·Φ(x); y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        var buffer = CdfAndPdf(x);
        var cdf = buffer.AsSpan(0, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] * cdf[i]);
    }

    /// <summary>dx = dy·(Φ(x) + x·φ(x)); dx may alias dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        var buffer = CdfAndPdf(x);
        var cdf = buffer.AsSpan(0, x.Length);
        var pdf = buffer.AsSpan(x.Length, x.Length);
        for (int i = 0; i < x.Length; i++) dx[i] = (float)(dy[i] * (cdf[i] + x[i] * pdf[i]));
    }

    /// <summary>Φ then φ of a chunk, as [0, n) and [n, 2n) of a thread-local scratch array.</summary>
    static double[] CdfAndPdf(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        var buffer = scratch is { } s && s.Length >= 2 * n ? s : scratch = new double[Math.Max(2 * n, 4096)];
        var z = buffer.AsSpan(0, n);        // z = −x/√2, so Φ(x) = ½·erfc(z); becomes Φ in place
        var e = buffer.AsSpan(n, n);        // exp(−z²) = exp(−x²/2); becomes φ in place
        for (int i = 0; i < n; i++) { double zi = -x[i] * InvSqrt2; z[i] = zi; e[i] = -zi * zi; }
        TensorPrimitives.Exp(e, e);

        var zv = MemoryMarshal.Cast<double, Vector<double>>(z);
        var ev = MemoryMarshal.Cast<double, Vector<double>>(e);
        var one = Vector<double>.One;
        var half = new Vector<double>(0.5);
        var pdfScale = new Vector<double>(InvSqrt2Pi);
        for (int i = 0; i < zv.Length; i++)
        {
            var zi = zv[i];
            var a = Vector.Abs(zi);
            // Evaluate only the interpolant(s) some lane needs; with unit-scale activations most vectors need one.
            var isSmall = Vector.LessThanOrEqual(a, one);
            Vector<double> erfcA;
            if (Vector.EqualsAll(isSmall, Vector<long>.AllBitsSet))
                erfcA = one - SmallBranch(a);
            else if (Vector.EqualsAll(isSmall, Vector<long>.Zero))
                erfcA = LargeBranch(a, ev[i]);
            else
                erfcA = Vector.ConditionalSelect(isSmall, one - SmallBranch(a), LargeBranch(a, ev[i]));
            var erfc = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(zi, Vector<double>.Zero), erfcA,
                new Vector<double>(2) - erfcA);
            zv[i] = half * erfc;
            ev[i] *= pdfScale;
        }
        for (int i = zv.Length * Vector<double>.Count; i < n; i++)
        {
            z[i] = ErrorFunction.NormalCdf(x[i]);
            e[i] *= InvSqrt2Pi;
        }
        return buffer;
    }

    /// <summary>erf(a) for a ≤ 1.</summary>
    static Vector<double> SmallBranch(Vector<double> a) =>
        a * Clenshaw(ErrorFunction.SmallArgument, a * a * 2 - Vector<double>.One);

    /// <summary>erfc(a) = exp(−a²)·R(1/a) for a &gt; 1, given expNegSquare = exp(−a²).</summary>
    static Vector<double> LargeBranch(Vector<double> a, Vector<double> expNegSquare)
    {
        var t = (new Vector<double>(2) / a - new Vector<double>(1.1)) * new Vector<double>(1 / 0.9);
        return expNegSquare * Clenshaw(ErrorFunction.LargeArgument, t);
    }

    static Vector<double> Clenshaw(double[] c, Vector<double> t)
    {
        Vector<double> b1 = Vector<double>.Zero, b2 = Vector<double>.Zero, twoT = t + t;
        for (int j = c.Length - 1; j >= 1; j--)
        {
            var b0 = twoT * b1 - b2 + new Vector<double>(c[j]);
            b2 = b1;
            b1 = b0;
        }
        return t * b1 - b2 + new Vector<double>(c[0]);
    }
}
