using System.Numerics;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace Actors.Tensors.Kernels;

/// <summary>
/// Pointwise activations and their derivatives. y (or dx) may alias x (or dy) exactly for in-place use.
/// Work is cut into L1-sized chunks so the several TensorPrimitives passes per chunk stay in cache, and chunks
/// are spread over threads when the tensor is large (the MLP hidden layer of a batch).
/// </summary>
public static class Activations
{
    const int Chunk = 2048;
    const float QuickGeluScale = 1.702f;                       // Radford et al. 2021 (CLIP), x·σ(1.702x)
    const float SqrtTwoOverPi = 0.7978845608028654f;           // Hendrycks & Gimpel 2016, tanh form
    const float TanhCubic = 0.044715f;

    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelChecks.Length("Activations.Forward", "y", y.Length, x.Length, "x's length");
        Chunked(x, default, y, kind, backward: false);
    }

    /// <summary>dx = dy ⊙ f'(x).</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelChecks.Length("Activations.Backward", "dy", dy.Length, x.Length, "x's length");
        KernelChecks.Length("Activations.Backward", "dx", dx.Length, x.Length, "x's length");
        Chunked(x, dy, dx, kind, backward: true);
    }

    static unsafe void Chunked(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> y, ActivationKind kind, bool backward)
    {
        int n = x.Length;
        if (n == 0) return;
        int chunks = (n + Chunk - 1) / Chunk;
        long costPerChunk = (kind == ActivationKind.Gelu ? 20L : 6L) * Chunk;
        fixed (float* px = x) fixed (float* pdy = dy) fixed (float* py = y)
        {
            nint ax = (nint)px, ady = (nint)pdy, ay = (nint)py;
            RowParallel.For(chunks, costPerChunk, (_, first, end) =>
            {
                Span<float> t = stackalloc float[Chunk];
                Span<float> u = stackalloc float[Chunk];
                for (int ch = first; ch < end; ch++)
                {
                    int start = ch * Chunk, len = Math.Min(Chunk, n - start);
                    var xc = new ReadOnlySpan<float>((float*)ax + start, len);
                    var yc = new Span<float>((float*)ay + start, len);
                    if (backward)
                        DerivativeChunk(kind, xc, new ReadOnlySpan<float>((float*)ady + start, len), yc, t[..len], u[..len]);
                    else
                        ForwardChunk(kind, xc, yc, t[..len]);
                }
            });
        }
    }

    static void ForwardChunk(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, Span<float> t)
    {
        switch (kind)
        {
            case ActivationKind.QuickGelu:
                TensorPrimitives.Multiply(x, QuickGeluScale, t);
                TensorPrimitives.Sigmoid(t, t);
                TensorPrimitives.Multiply(x, t, y);
                break;
            case ActivationKind.GeluTanh:
                // ½(1 + tanh v) = σ(2v) exactly; the sigmoid form keeps relative accuracy on the negative tail
                // where 1 + tanh v would cancel. t = 2v = 2√(2/π)·x·(1 + 0.044715x²).
                TensorPrimitives.Multiply(x, x, t);
                Affine(t, 2 * TanhCubic * SqrtTwoOverPi, 2 * SqrtTwoOverPi, t);
                TensorPrimitives.Multiply(t, x, t);
                TensorPrimitives.Sigmoid(t, t);
                TensorPrimitives.Multiply(x, t, y);
                break;
            case ActivationKind.Relu:
                TensorPrimitives.Max(x, 0f, y);   // NaN propagates, as in PyTorch
                break;
            case ActivationKind.Gelu:
                GeluExact.Forward(x, y);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    static void DerivativeChunk(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx,
        Span<float> t, Span<float> u)
    {
        switch (kind)
        {
            case ActivationKind.QuickGelu:
                // d/dx x·σ(ax) = σ(ax)·(1 + a·x·(1 − σ(ax)))
                TensorPrimitives.Multiply(x, QuickGeluScale, u);      // a·x
                TensorPrimitives.Sigmoid(u, t);                       // σ(ax)
                for (int i = 0; i < x.Length; i++)
                {
                    float s = t[i];
                    dx[i] = dy[i] * s * (1 + u[i] * (1 - s));
                }
                break;
            case ActivationKind.GeluTanh:
                // y = x·s with s = ½(1 + tanh v) = σ(2v), v = √(2/π)(x + 0.044715x³), so
                // y' = s + x·2s(1 − s)·v' with v' = √(2/π)(1 + 3·0.044715x²)  (1 − tanh² v = 4s(1 − s)).
                TensorPrimitives.Multiply(x, x, u);                   // x²
                Affine(u, 2 * TanhCubic * SqrtTwoOverPi, 2 * SqrtTwoOverPi, t);
                TensorPrimitives.Multiply(t, x, t);
                TensorPrimitives.Sigmoid(t, t);                       // s
                for (int i = 0; i < x.Length; i++)
                {
                    float s = t[i], xi = x[i];
                    float dv = SqrtTwoOverPi * (1 + 3 * TanhCubic * u[i]);
                    dx[i] = dy[i] * (s + 2 * xi * s * (1 - s) * dv);
                }
                break;
            case ActivationKind.Relu:
                ReluMask(x, dy, dx);
                break;
            case ActivationKind.Gelu:
                GeluExact.Backward(x, dy, dx);   // d/dx x·Φ(x) = Φ(x) + x·φ(x)
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    /// <summary>dx = x &gt; 0 ? dy : 0, vectorised.</summary>
    static void ReluMask(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dyv = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var dxv = MemoryMarshal.Cast<float, Vector<float>>(dx);
        for (int i = 0; i < xv.Length; i++)
            dxv[i] = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<float>.Zero), dyv[i], Vector<float>.Zero);
        for (int j = xv.Length * Vector<float>.Count; j < x.Length; j++) dx[j] = x[j] > 0 ? dy[j] : 0;
    }

    /// <summary>y = x·a + b elementwise (TensorPrimitives has no span-scalar-scalar fused form).</summary>
    static void Affine(ReadOnlySpan<float> x, float a, float b, Span<float> y)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var av = new Vector<float>(a);
        var bv = new Vector<float>(b);
        for (int i = 0; i < xv.Length; i++) yv[i] = Vector.FusedMultiplyAdd(xv[i], av, bv);
        for (int j = xv.Length * Vector<float>.Count; j < x.Length; j++) y[j] = MathF.FusedMultiplyAdd(x[j], a, b);
    }

    /// <summary>Reference for <see cref="Forward"/>: scalar double formulas.</summary>
    public static void ForwardNaive(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelChecks.Length("Activations.ForwardNaive", "y", y.Length, x.Length, "x's length");
        for (int i = 0; i < x.Length; i++) y[i] = (float)Value(kind, x[i]);
    }

    /// <summary>Reference for <see cref="Backward"/>: scalar double derivatives.</summary>
    public static void BackwardNaive(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelChecks.Length("Activations.BackwardNaive", "dy", dy.Length, x.Length, "x's length");
        KernelChecks.Length("Activations.BackwardNaive", "dx", dx.Length, x.Length, "x's length");
        for (int i = 0; i < x.Length; i++) dx[i] = (float)(dy[i] * Derivative(kind, x[i]));
    }

    /// <summary>f(x) in double.</summary>
    public static double Value(ActivationKind kind, double x) => kind switch
    {
        ActivationKind.QuickGelu => x / (1 + Math.Exp(-1.702 * x)),
        ActivationKind.Gelu => x * ErrorFunction.NormalCdf(x),
        ActivationKind.GeluTanh => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        ActivationKind.Relu => Math.Max(x, 0),   // NaN propagates
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };

    /// <summary>f'(x) in double.</summary>
    public static double Derivative(ActivationKind kind, double x)
    {
        switch (kind)
        {
            case ActivationKind.QuickGelu:
            {
                double s = 1 / (1 + Math.Exp(-1.702 * x));
                return s + 1.702 * x * s * (1 - s);
            }
            case ActivationKind.Gelu:
                return ErrorFunction.NormalCdf(x) + x * ErrorFunction.NormalPdf(x);
            case ActivationKind.GeluTanh:
            {
                double k = Math.Sqrt(2 / Math.PI), th = Math.Tanh(k * (x + 0.044715 * x * x * x));
                return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * k * (1 + 3 * 0.044715 * x * x);
            }
            case ActivationKind.Relu:
                return x > 0 ? 1 : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }
}
