using System.Numerics.Tensors;

namespace Actors.Tensors.Kernels;

/// <summary>nn.Linear: y(N,OC) = x(N,C) · w(OC,C)ᵀ + b(OC). The products go to OpenBLAS.</summary>
public static class Linear
{
    /// <summary>x (N,C), w (OC,C), b (OC) or empty for no bias, y (N,OC) written.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y,
        int n, int c, int oc)
    {
        CheckForward("Linear.Forward", x.Length, w.Length, b.Length, y.Length, n, c, oc);
        if (n == 0 || oc == 0) return;
        if (c == 0)
        {
            // An empty product: y is just the bias (BLAS rejects a zero leading dimension).
            for (int i = 0; i < n; i++) { var row = y.Slice(i * oc, oc); if (b.IsEmpty) row.Clear(); else b.CopyTo(row); }
            return;
        }
        float beta = 0;
        if (!b.IsEmpty)
        {
            // Seed y with the bias and let sgemm accumulate onto it: one pass over y instead of two.
            for (int i = 0; i < n; i++) b.CopyTo(y.Slice(i * oc, oc));
            beta = 1;
        }
        Blas.Sgemm(false, true, n, oc, c, 1, x, c, w, c, beta, y, oc);
    }

    /// <summary>
    /// dy (N,OC), x (N,C), w (OC,C). Writes dx (N,C) unless empty; accumulates dw (OC,C) += dyᵀx and
    /// db (OC) += Σ_rows dy unless empty.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> dx,
        Span<float> dw, Span<float> db, int n, int c, int oc)
    {
        CheckBackward("Linear.Backward", dy.Length, x.Length, w.Length, dx.Length, dw.Length, db.Length, n, c, oc);
        if (n == 0) return;
        if (oc == 0) { dx.Clear(); return; }
        if (!db.IsEmpty)
            for (int i = 0; i < n; i++) TensorPrimitives.Add(db, dy.Slice(i * oc, oc), db);
        if (c == 0) return;
        if (!dx.IsEmpty) Blas.Sgemm(false, false, n, c, oc, 1, dy, oc, w, c, 0, dx, c);
        Blas.Sgemm(true, false, oc, c, n, 1, dy, oc, x, c, 1, dw, c);
    }

    /// <summary>Reference for <see cref="Forward"/>: triple loop, double accumulation.</summary>
    public static void ForwardNaive(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y,
        int n, int c, int oc)
    {
        CheckForward("Linear.ForwardNaive", x.Length, w.Length, b.Length, y.Length, n, c, oc);
        for (int i = 0; i < n; i++)
            for (int o = 0; o < oc; o++)
            {
                double sum = b.IsEmpty ? 0 : b[o];
                for (int k = 0; k < c; k++) sum += (double)x[i * c + k] * w[o * c + k];
                y[i * oc + o] = (float)sum;
            }
    }

    /// <summary>Reference for <see cref="Backward"/>: triple loops, double accumulation.</summary>
    public static void BackwardNaive(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> dx,
        Span<float> dw, Span<float> db, int n, int c, int oc)
    {
        CheckBackward("Linear.BackwardNaive", dy.Length, x.Length, w.Length, dx.Length, dw.Length, db.Length, n, c, oc);
        if (!dx.IsEmpty)
            for (int i = 0; i < n; i++)
                for (int k = 0; k < c; k++)
                {
                    double sum = 0;
                    for (int o = 0; o < oc; o++) sum += (double)dy[i * oc + o] * w[o * c + k];
                    dx[i * c + k] = (float)sum;
                }
        for (int o = 0; o < oc; o++)
        {
            for (int k = 0; k < c; k++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += (double)dy[i * oc + o] * x[i * c + k];
                dw[o * c + k] += (float)sum;
            }
            if (!db.IsEmpty)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += dy[i * oc + o];
                db[o] += (float)sum;
            }
        }
    }

    static void CheckForward(string kernel, int x, int w, int b, int y, int n, int c, int oc)
    {
        KernelChecks.Positive(kernel, "n", n); KernelChecks.Positive(kernel, "c", c); KernelChecks.Positive(kernel, "oc", oc);
        KernelChecks.Length(kernel, "x", x, (long)n * c, $"n·c ({n}·{c})");
        KernelChecks.Length(kernel, "w", w, (long)oc * c, $"oc·c ({oc}·{c})");
        KernelChecks.Optional(kernel, "b", b, oc, $"oc ({oc})");
        KernelChecks.Length(kernel, "y", y, (long)n * oc, $"n·oc ({n}·{oc})");
    }

    static void CheckBackward(string kernel, int dy, int x, int w, int dx, int dw, int db, int n, int c, int oc)
    {
        KernelChecks.Positive(kernel, "n", n); KernelChecks.Positive(kernel, "c", c); KernelChecks.Positive(kernel, "oc", oc);
        KernelChecks.Length(kernel, "dy", dy, (long)n * oc, $"n·oc ({n}·{oc})");
        KernelChecks.Length(kernel, "x", x, (long)n * c, $"n·c ({n}·{c})");
        KernelChecks.Length(kernel, "w", w, (long)oc * c, $"oc·c ({oc}·{c})");
        KernelChecks.Optional(kernel, "dx", dx, (long)n * c, $"n·c ({n}·{c})");
        KernelChecks.Length(kernel, "dw", dw, (long)oc * c, $"oc·c ({oc}·{c})");
        KernelChecks.Optional(kernel, "db", db, oc, $"oc ({oc})");
    }
}
