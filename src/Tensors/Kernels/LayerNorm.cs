using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Actors.Tensors.Kernels;

/// <summary>
/// Layer normalisation over the last dimension (Ba, Kiros &amp; Hinton 2016, eq. 4):
/// y = (x − μ)·rstd·γ + β with rstd = 1/√(σ² + eps), σ² the biased variance.
/// x, y (rows, dim); gamma, beta (dim); mean, rstd (rows), saved for backward.
/// </summary>
public static class LayerNorm
{
    /// <summary>mean and rstd may both be empty (inference): then they are not stored.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int rows, int dim, float eps)
    {
        CheckForward("LayerNorm.Forward", x.Length, gamma.Length, beta.Length, y.Length, mean.Length, rstd.Length, rows, dim);
        if (rows == 0 || dim == 0) return;
        bool save = !mean.IsEmpty;
        fixed (float* px = x) fixed (float* pg = gamma) fixed (float* pb = beta) fixed (float* py = y)
        fixed (float* pm = mean) fixed (float* pr = rstd)
        {
            nint ax = (nint)px, ag = (nint)pg, ab = (nint)pb, ay = (nint)py, am = (nint)pm, ar = (nint)pr;
            RowParallel.For(rows, 4L * dim, (_, first, end) =>
            {
                var g = new ReadOnlySpan<float>((float*)ag, dim);
                var bt = new ReadOnlySpan<float>((float*)ab, dim);
                for (int r = first; r < end; r++)
                {
                    var xr = new ReadOnlySpan<float>((float*)ax + (long)r * dim, dim);
                    var yr = new Span<float>((float*)ay + (long)r * dim, dim);
                    float mu = TensorPrimitives.Sum(xr) / dim;
                    float rs = 1f / MathF.Sqrt(SumSquaredDeviation(xr, mu) / dim + eps);
                    NormalizeRow(xr, g, bt, yr, mu, rs);
                    if (save) { ((float*)am)[r] = mu; ((float*)ar)[r] = rs; }
                }
            });
        }
    }

    /// <summary>
    /// dy, x (rows, dim); mean, rstd from Forward. Writes dx; accumulates dgamma += Σ dy·x̂ and dbeta += Σ dy.
    /// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ, x̂ = (x − μ)·rstd (the standard LayerNorm gradient).
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta,
        int rows, int dim)
    {
        CheckBackward("LayerNorm.Backward", dy.Length, x.Length, gamma.Length, mean.Length, rstd.Length, dx.Length,
            dgamma.Length, dbeta.Length, rows, dim);
        if (rows == 0 || dim == 0) return;
        int blocks = RowParallel.Blocks(rows, 8L * dim);
        // Per-block partial parameter gradients, summed in block order afterwards: deterministic results.
        var partial = new float[blocks * 2 * dim];
        fixed (float* pdy = dy) fixed (float* px = x) fixed (float* pg = gamma) fixed (float* pm = mean)
        fixed (float* pr = rstd) fixed (float* pdx = dx)
        {
            nint ady = (nint)pdy, ax = (nint)px, ag = (nint)pg, am = (nint)pm, ar = (nint)pr, adx = (nint)pdx;
            RowParallel.For(rows, 8L * dim, (blk, first, end) =>
            {
                var g = new ReadOnlySpan<float>((float*)ag, dim);
                var dgPart = partial.AsSpan(blk * 2 * dim, dim);
                var dbPart = partial.AsSpan(blk * 2 * dim + dim, dim);
                Span<float> scratch = dim <= 4096 ? stackalloc float[2 * dim] : new float[2 * dim];
                var xhat = scratch[..dim];
                var dnorm = scratch[dim..];
                for (int r = first; r < end; r++)
                {
                    var xr = new ReadOnlySpan<float>((float*)ax + (long)r * dim, dim);
                    var dyr = new ReadOnlySpan<float>((float*)ady + (long)r * dim, dim);
                    var dxr = new Span<float>((float*)adx + (long)r * dim, dim);
                    float mu = ((float*)am)[r], rs = ((float*)ar)[r];
                    TensorPrimitives.Subtract(xr, mu, xhat);                  // x̂ = (x − μ)·rstd
                    TensorPrimitives.Multiply(xhat, rs, xhat);
                    TensorPrimitives.Multiply(dyr, g, dnorm);                 // g = dy·γ
                    float meanG = TensorPrimitives.Sum(dnorm) / dim;
                    float meanGX = TensorPrimitives.Dot(dnorm, xhat) / dim;
                    // dx = (g − mean(g) − x̂·mean(g·x̂))·rstd
                    TensorPrimitives.MultiplyAdd(xhat, -meanGX, dnorm, dxr);
                    TensorPrimitives.Add(dxr, -meanG, dxr);
                    TensorPrimitives.Multiply(dxr, rs, dxr);
                    TensorPrimitives.MultiplyAdd(dyr, xhat, dgPart, dgPart);
                    TensorPrimitives.Add(dbPart, dyr, dbPart);
                }
            });
        }
        for (int blk = 0; blk < blocks; blk++)
        {
            TensorPrimitives.Add(dgamma, partial.AsSpan(blk * 2 * dim, dim), dgamma);
            TensorPrimitives.Add(dbeta, partial.AsSpan(blk * 2 * dim + dim, dim), dbeta);
        }
    }

    /// <summary>Reference for <see cref="Forward"/>: two-pass mean and variance in double.</summary>
    public static void ForwardNaive(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int rows, int dim, float eps)
    {
        CheckForward("LayerNorm.ForwardNaive", x.Length, gamma.Length, beta.Length, y.Length, mean.Length, rstd.Length, rows, dim);
        for (int r = 0; r < rows; r++)
        {
            double mu = 0, v = 0;
            for (int i = 0; i < dim; i++) mu += x[r * dim + i];
            mu /= dim;
            for (int i = 0; i < dim; i++) { double d = x[r * dim + i] - mu; v += d * d; }
            double rs = 1 / Math.Sqrt(v / dim + eps);
            for (int i = 0; i < dim; i++) y[r * dim + i] = (float)((x[r * dim + i] - mu) * rs * gamma[i] + beta[i]);
            if (!mean.IsEmpty) { mean[r] = (float)mu; rstd[r] = (float)rs; }
        }
    }

    /// <summary>Reference for <see cref="Backward"/> in double.</summary>
    public static void BackwardNaive(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta,
        int rows, int dim)
    {
        CheckBackward("LayerNorm.BackwardNaive", dy.Length, x.Length, gamma.Length, mean.Length, rstd.Length, dx.Length,
            dgamma.Length, dbeta.Length, rows, dim);
        var dg = new double[dim];
        var db = new double[dim];
        for (int r = 0; r < rows; r++)
        {
            double mu = mean[r], rs = rstd[r], meanG = 0, meanGX = 0;
            for (int i = 0; i < dim; i++)
            {
                double xh = (x[r * dim + i] - mu) * rs, g = (double)dy[r * dim + i] * gamma[i];
                meanG += g; meanGX += g * xh;
                dg[i] += dy[r * dim + i] * xh; db[i] += dy[r * dim + i];
            }
            meanG /= dim; meanGX /= dim;
            for (int i = 0; i < dim; i++)
            {
                double xh = (x[r * dim + i] - mu) * rs, g = (double)dy[r * dim + i] * gamma[i];
                dx[r * dim + i] = (float)((g - meanG - xh * meanGX) * rs);
            }
        }
        for (int i = 0; i < dim; i++) { dgamma[i] += (float)dg[i]; dbeta[i] += (float)db[i]; }
    }

    /// <summary>Σ (x − μ)², vectorised; the second pass keeps the variance free of E[x²]−μ² cancellation.</summary>
    static float SumSquaredDeviation(ReadOnlySpan<float> x, float mu)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var m = new Vector<float>(mu);
        Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
        int i = 0;
        for (; i + 1 < xv.Length; i += 2)
        {
            var d0 = xv[i] - m; var d1 = xv[i + 1] - m;
            acc0 += d0 * d0; acc1 += d1 * d1;
        }
        if (i < xv.Length) { var d = xv[i] - m; acc0 += d * d; }
        float sum = Vector.Sum(acc0 + acc1);
        for (int j = xv.Length * Vector<float>.Count; j < x.Length; j++) { float d = x[j] - mu; sum += d * d; }
        return sum;
    }

    /// <summary>y = (x − μ)·rstd·γ + β, vectorised.</summary>
    static void NormalizeRow(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        float mu, float rs)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(gamma);
        var bv = MemoryMarshal.Cast<float, Vector<float>>(beta);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var m = new Vector<float>(mu);
        var s = new Vector<float>(rs);
        for (int i = 0; i < xv.Length; i++) yv[i] = Vector.FusedMultiplyAdd((xv[i] - m) * s, gv[i], bv[i]);
        for (int j = xv.Length * Vector<float>.Count; j < x.Length; j++) y[j] = (x[j] - mu) * rs * gamma[j] + beta[j];
    }

    static void CheckForward(string kernel, int x, int gamma, int beta, int y, int mean, int rstd, int rows, int dim)
    {
        KernelChecks.Positive(kernel, "rows", rows); KernelChecks.Positive(kernel, "dim", dim);
        KernelChecks.Length(kernel, "x", x, (long)rows * dim, $"rows·dim ({rows}·{dim})");
        KernelChecks.Length(kernel, "gamma", gamma, dim, $"dim ({dim})");
        KernelChecks.Length(kernel, "beta", beta, dim, $"dim ({dim})");
        KernelChecks.Length(kernel, "y", y, (long)rows * dim, $"rows·dim ({rows}·{dim})");
        KernelChecks.Optional(kernel, "mean", mean, rows, $"rows ({rows})");
        KernelChecks.Optional(kernel, "rstd", rstd, rows, $"rows ({rows})");
        if (mean != rstd) throw new ArgumentException($"{kernel}: mean and rstd must both be empty or both hold rows ({rows}) floats");
    }

    static void CheckBackward(string kernel, int dy, int x, int gamma, int mean, int rstd, int dx, int dgamma, int dbeta,
        int rows, int dim)
    {
        KernelChecks.Positive(kernel, "rows", rows); KernelChecks.Positive(kernel, "dim", dim);
        KernelChecks.Length(kernel, "dy", dy, (long)rows * dim, $"rows·dim ({rows}·{dim})");
        KernelChecks.Length(kernel, "x", x, (long)rows * dim, $"rows·dim ({rows}·{dim})");
        KernelChecks.Length(kernel, "gamma", gamma, dim, $"dim ({dim})");
        KernelChecks.Length(kernel, "mean", mean, rows, $"rows ({rows})");
        KernelChecks.Length(kernel, "rstd", rstd, rows, $"rows ({rows})");
        KernelChecks.Length(kernel, "dx", dx, (long)rows * dim, $"rows·dim ({rows}·{dim})");
        KernelChecks.Length(kernel, "dgamma", dgamma, dim, $"dim ({dim})");
        KernelChecks.Length(kernel, "dbeta", dbeta, dim, $"dim ({dim})");
    }
}
