using System.Numerics.Tensors;

namespace Actors.Tensors.Kernels;

/// <summary>Residual adds, scaling and bias broadcast, thin checked wrappers over TensorPrimitives.</summary>
public static class Elementwise
{
    /// <summary>y = a + b (y may alias a or b).</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        KernelChecks.Length("Elementwise.Add", "b", b.Length, a.Length, "a's length");
        KernelChecks.Length("Elementwise.Add", "y", y.Length, a.Length, "a's length");
        TensorPrimitives.Add(a, b, y);
    }

    /// <summary>y += x (the residual connection).</summary>
    public static void AddInPlace(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.Length("Elementwise.AddInPlace", "x", x.Length, y.Length, "y's length");
        TensorPrimitives.Add(y, x, y);
    }

    /// <summary>x *= s.</summary>
    public static void Scale(Span<float> x, float s) => TensorPrimitives.Multiply(x, s, x);

    /// <summary>y (rows, cols) += bias (cols) on every row.</summary>
    public static void AddRowBias(Span<float> y, ReadOnlySpan<float> bias, int rows, int cols)
    {
        KernelChecks.Positive("Elementwise.AddRowBias", "rows", rows);
        KernelChecks.Positive("Elementwise.AddRowBias", "cols", cols);
        KernelChecks.Length("Elementwise.AddRowBias", "y", y.Length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        KernelChecks.Length("Elementwise.AddRowBias", "bias", bias.Length, cols, $"cols ({cols})");
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * cols, cols);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Reference for <see cref="Add"/>.</summary>
    public static void AddNaive(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        KernelChecks.Length("Elementwise.AddNaive", "b", b.Length, a.Length, "a's length");
        KernelChecks.Length("Elementwise.AddNaive", "y", y.Length, a.Length, "a's length");
        for (int i = 0; i < a.Length; i++) y[i] = a[i] + b[i];
    }

    /// <summary>Reference for <see cref="AddInPlace"/>.</summary>
    public static void AddInPlaceNaive(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.Length("Elementwise.AddInPlaceNaive", "x", x.Length, y.Length, "y's length");
        for (int i = 0; i < y.Length; i++) y[i] += x[i];
    }

    /// <summary>Reference for <see cref="Scale"/>.</summary>
    public static void ScaleNaive(Span<float> x, float s)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= s;
    }

    /// <summary>Reference for <see cref="AddRowBias"/>.</summary>
    public static void AddRowBiasNaive(Span<float> y, ReadOnlySpan<float> bias, int rows, int cols)
    {
        KernelChecks.Length("Elementwise.AddRowBiasNaive", "y", y.Length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        KernelChecks.Length("Elementwise.AddRowBiasNaive", "bias", bias.Length, cols, $"cols ({cols})");
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) y[r * cols + j] += bias[j];
    }
}
