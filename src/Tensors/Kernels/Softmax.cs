using System.Numerics.Tensors;

namespace Actors.Tensors.Kernels;

/// <summary>Row-wise softmax, max-shifted for stability: y_j = exp(x_j − max x) / Σ_k exp(x_k − max x).</summary>
public static class Softmax
{
    /// <summary>x (rows, cols), replaced by its softmax. Entries of −∞ become 0 (used for masking).</summary>
    public static unsafe void Forward(Span<float> x, int rows, int cols)
    {
        Check("Softmax.Forward", x.Length, rows, cols);
        if (rows == 0 || cols == 0) return;
        fixed (float* px = x)
        {
            nint ax = (nint)px;
            RowParallel.For(rows, 8L * cols, (_, first, end) =>
            {
                for (int r = first; r < end; r++) Row(new Span<float>((float*)ax + (long)r * cols, cols));
            });
        }
    }

    /// <summary>Softmax of one row in place; the building block Attention uses on its score rows.</summary>
    public static void Row(Span<float> x)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, x);
        TensorPrimitives.Exp(x, x);
        TensorPrimitives.Multiply(x, 1f / TensorPrimitives.Sum(x), x);
    }

    /// <summary>y (rows, cols) the forward output, dy its gradient; writes dx = y ⊙ (dy − Σ_k y_k dy_k).</summary>
    public static unsafe void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        Check("Softmax.Backward", y.Length, rows, cols, "y");
        KernelChecks.Length("Softmax.Backward", "dy", dy.Length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        KernelChecks.Length("Softmax.Backward", "dx", dx.Length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        if (rows == 0 || cols == 0) return;
        fixed (float* py = y) fixed (float* pdy = dy) fixed (float* pdx = dx)
        {
            nint ay = (nint)py, ady = (nint)pdy, adx = (nint)pdx;
            RowParallel.For(rows, 4L * cols, (_, first, end) =>
            {
                for (int r = first; r < end; r++)
                {
                    long o = (long)r * cols;
                    RowBackward(new ReadOnlySpan<float>((float*)ay + o, cols), new ReadOnlySpan<float>((float*)ady + o, cols),
                        new Span<float>((float*)adx + o, cols));
                }
            });
        }
    }

    /// <summary>dx = y ⊙ (dy − ⟨y, dy⟩) for one row; dx may alias dy.</summary>
    public static void RowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float dot = TensorPrimitives.Dot(y, dy);
        TensorPrimitives.Subtract(dy, dot, dx);
        TensorPrimitives.Multiply(dx, y, dx);
    }

    /// <summary>Reference for <see cref="Forward"/> in double.</summary>
    public static void ForwardNaive(Span<float> x, int rows, int cols)
    {
        Check("Softmax.ForwardNaive", x.Length, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < cols; j++) max = Math.Max(max, row[j]);
            var e = new double[cols];
            for (int j = 0; j < cols; j++) { e[j] = Math.Exp(row[j] - max); sum += e[j]; }
            for (int j = 0; j < cols; j++) row[j] = (float)(e[j] / sum);
        }
    }

    /// <summary>Reference for <see cref="Backward"/>: the full Jacobian product Σ_i dy_i (δ_ij y_j − y_i y_j) in double.</summary>
    public static void BackwardNaive(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        Check("Softmax.BackwardNaive", y.Length, rows, cols, "y");
        KernelChecks.Length("Softmax.BackwardNaive", "dy", dy.Length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        KernelChecks.Length("Softmax.BackwardNaive", "dx", dx.Length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
            {
                double yj = y[r * cols + j], sum = 0;
                for (int i = 0; i < cols; i++)
                    sum += dy[r * cols + i] * ((i == j ? yj : 0) - (double)y[r * cols + i] * yj);
                dx[r * cols + j] = (float)sum;
            }
    }

    static void Check(string kernel, int length, int rows, int cols, string name = "x")
    {
        KernelChecks.Positive(kernel, "rows", rows); KernelChecks.Positive(kernel, "cols", cols);
        KernelChecks.Length(kernel, name, length, (long)rows * cols, $"rows·cols ({rows}·{cols})");
    }
}
