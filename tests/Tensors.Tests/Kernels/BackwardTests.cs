using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

/// <summary>
/// Every backward kernel against central finite differences of L = Σ dy ⊙ forward(x) computed in double, and
/// against its naive twin. Parameter gradients start non-zero to check they accumulate (+=).
/// </summary>
public class BackwardTests
{
    const float FdRelative = 1e-3f;   // float32 backward vs. double finite differences

    static void CloseToFd(string name, float[] fd, float[] analytic)
    {
        float scale = fd.Select(MathF.Abs).DefaultIfEmpty(0).Max();
        KernelAssert.Close(name, fd, analytic, rtol: FdRelative, atol: 1e-4f * Math.Max(1, scale));
    }

    [Theory]
    [InlineData(1, 1, 1, true)] [InlineData(3, 7, 5, true)] [InlineData(2, 0, 3, true)] [InlineData(2, 3, 0, true)] [InlineData(4, 17, 3, false)] [InlineData(2, 33, 9, true)]
    public void LinearBackwardMatchesFiniteDifferences(int n, int c, int oc, bool bias)
    {
        var x = KernelAssert.Random(1, n * c); var w = KernelAssert.Random(2, oc * c);
        var b = bias ? KernelAssert.Random(3, oc) : []; var dy = KernelAssert.Random(4, n * oc);
        var (xd, wd, bd) = (DoubleReference.ToDouble(x), DoubleReference.ToDouble(w), DoubleReference.ToDouble(b));
        Func<double[]> f = () => DoubleReference.Linear(xd, wd, bias ? bd : null, n, c, oc);

        var dx = new float[n * c];
        var dw0 = KernelAssert.Random(5, oc * c); var dw = (float[])dw0.Clone();
        var db0 = bias ? KernelAssert.Random(6, oc) : []; var db = (float[])db0.Clone();
        Linear.Backward(dy, x, w, dx, dw, db, n, c, oc);

        CloseToFd("dx", DoubleReference.Gradient(xd, dy, f), dx);
        CloseToFd("dw", Add(dw0, DoubleReference.Gradient(wd, dy, f)), dw);
        if (bias) CloseToFd("db", Add(db0, DoubleReference.Gradient(bd, dy, f)), db);

        var (dxN, dwN, dbN) = (new float[n * c], (float[])dw0.Clone(), (float[])db0.Clone());
        Linear.BackwardNaive(dy, x, w, dxN, dwN, dbN, n, c, oc);
        KernelAssert.Close("dx vs naive", dxN, dx, atol: 1e-5f);
        KernelAssert.Close("dw vs naive", dwN, dw, atol: 1e-5f);
        KernelAssert.Close("db vs naive", dbN, db, atol: 1e-5f);
    }

    [Fact]
    public void LinearBackwardSkipsEmptyDxAndDb()
    {
        int n = 3, c = 4, oc = 2;
        var dw = new float[oc * c];
        Linear.Backward(KernelAssert.Random(1, n * oc), KernelAssert.Random(2, n * c), KernelAssert.Random(3, oc * c),
            [], dw, [], n, c, oc);
        Assert.Contains(dw, v => v != 0);
    }

    [Theory]
    [InlineData(1, 3)] [InlineData(3, 7)] [InlineData(5, 17)] [InlineData(2, 65)] [InlineData(9, 33)]
    public void LayerNormBackwardMatchesFiniteDifferences(int rows, int dim)
    {
        var x = KernelAssert.Random(1, rows * dim, 2f); var gamma = KernelAssert.Random(2, dim);
        var beta = KernelAssert.Random(3, dim); var dy = KernelAssert.Random(4, rows * dim);
        const float eps = 1e-5f;
        var (mean, rstd) = (new float[rows], new float[rows]);
        LayerNorm.Forward(x, gamma, beta, new float[rows * dim], mean, rstd, rows, dim, eps);

        var (xd, gd, bd) = (DoubleReference.ToDouble(x), DoubleReference.ToDouble(gamma), DoubleReference.ToDouble(beta));
        Func<double[]> f = () => DoubleReference.LayerNorm(xd, gd, bd, rows, dim, eps);
        var dx = new float[rows * dim];
        var dg0 = KernelAssert.Random(5, dim); var dg = (float[])dg0.Clone();
        var db0 = KernelAssert.Random(6, dim); var db = (float[])db0.Clone();
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dg, db, rows, dim);

        CloseToFd("dx", DoubleReference.Gradient(xd, dy, f), dx);
        CloseToFd("dgamma", Add(dg0, DoubleReference.Gradient(gd, dy, f)), dg);
        CloseToFd("dbeta", Add(db0, DoubleReference.Gradient(bd, dy, f)), db);

        var (dxN, dgN, dbN) = (new float[rows * dim], (float[])dg0.Clone(), (float[])db0.Clone());
        LayerNorm.BackwardNaive(dy, x, gamma, mean, rstd, dxN, dgN, dbN, rows, dim);
        KernelAssert.Close("dx vs naive", dxN, dx, rtol: 1e-4f, atol: 1e-5f);
        KernelAssert.Close("dgamma vs naive", dgN, dg, rtol: 1e-4f, atol: 1e-5f);
        KernelAssert.Close("dbeta vs naive", dbN, db, rtol: 1e-4f, atol: 1e-5f);
    }

    [Fact]
    public void LayerNormBackwardOnManyRowsMatchesNaive()
    {
        // Large enough to split over threads: checks the per-block parameter-gradient reduction.
        int rows = 300, dim = 769;
        var x = KernelAssert.Random(1, rows * dim); var gamma = KernelAssert.Random(2, dim);
        var dy = KernelAssert.Random(3, rows * dim);
        var (mean, rstd) = (new float[rows], new float[rows]);
        LayerNorm.Forward(x, gamma, new float[dim], new float[rows * dim], mean, rstd, rows, dim, 1e-5f);
        var (dx, dg, db) = (new float[rows * dim], new float[dim], new float[dim]);
        var (dxN, dgN, dbN) = (new float[rows * dim], new float[dim], new float[dim]);
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dg, db, rows, dim);
        LayerNorm.BackwardNaive(dy, x, gamma, mean, rstd, dxN, dgN, dbN, rows, dim);
        KernelAssert.Close("dx", dxN, dx, rtol: 1e-4f, atol: 1e-5f);
        KernelAssert.Close("dgamma", dgN, dg, rtol: 1e-4f, atol: 1e-4f);
        KernelAssert.Close("dbeta", dbN, db, rtol: 1e-4f, atol: 1e-4f);
    }

    [Theory]
    [InlineData(1, 1)] [InlineData(2, 7)] [InlineData(3, 33)] [InlineData(1, 65)]
    public void SoftmaxBackwardMatchesFiniteDifferences(int rows, int cols)
    {
        var x = KernelAssert.Random(1, rows * cols, 3f); var dy = KernelAssert.Random(2, rows * cols);
        var y = (float[])x.Clone();
        Softmax.Forward(y, rows, cols);
        var dx = new float[rows * cols];
        Softmax.Backward(y, dy, dx, rows, cols);
        var xd = DoubleReference.ToDouble(x);
        CloseToFd("dx", DoubleReference.Gradient(xd, dy, () => DoubleReference.Softmax(xd, rows, cols)), dx);
        var dxN = new float[rows * cols];
        Softmax.BackwardNaive(y, dy, dxN, rows, cols);
        KernelAssert.Close("dx vs naive", dxN, dx, rtol: 1e-4f, atol: 1e-6f);
    }

    public static TheoryData<ActivationKind> Kinds() => new(Enum.GetValues<ActivationKind>());

    [Theory, MemberData(nameof(Kinds))]
    public void ActivationBackwardMatchesFiniteDifferences(ActivationKind kind)
    {
        int n = 2048 * 2 + 77;   // crosses the chunk boundary
        var x = KernelAssert.Random(1, n, 6f); var dy = KernelAssert.Random(2, n);
        for (int i = 0; i < n; i++) if (MathF.Abs(x[i]) < 1e-3f) x[i] += 1e-2f;   // keep ReLU's kink outside ±h
        var dx = new float[n];
        Activations.Backward(kind, x, dy, dx);
        var fd = new float[n];
        for (int i = 0; i < n; i++)
        {
            double h = DoubleReference.Step;
            fd[i] = (float)(dy[i] * (Activations.Value(kind, x[i] + h) - Activations.Value(kind, x[i] - h)) / (2 * h));
        }
        KernelAssert.Close($"{kind} dx", fd, dx, rtol: FdRelative, atol: 1e-5f);
        var dxN = new float[n];
        Activations.BackwardNaive(kind, x, dy, dxN);
        KernelAssert.Close($"{kind} dx vs naive", dxN, dx, rtol: 1e-5f, atol: 1e-7f);
        // In place: dx may alias dy.
        var inPlace = (float[])dy.Clone();
        Activations.Backward(kind, x, inPlace, inPlace);
        Assert.Equal(dx, inPlace);
    }

    [Theory]
    [InlineData(1, 1, 2, 1, false)] [InlineData(1, 1, 2, 1, true)]
    [InlineData(2, 5, 8, 2, false)] [InlineData(2, 5, 8, 2, true)]
    [InlineData(1, 7, 12, 3, false)] [InlineData(1, 7, 12, 3, true)]
    public void AttentionBackwardMatchesFiniteDifferences(int b, int t, int c, int heads, bool causal)
    {
        var qkv = KernelAssert.Random(1, b * t * 3 * c, 1.5f); var dy = KernelAssert.Random(2, b * t * c);
        var probs = new float[b * heads * t * t];
        Attention.Forward(qkv, new float[b * t * c], probs, b, t, c, heads, causal);
        var dQkv = KernelAssert.Random(3, qkv.Length);   // garbage first: Backward must overwrite it
        Attention.Backward(dy, qkv, probs, dQkv, b, t, c, heads, causal);
        var qd = DoubleReference.ToDouble(qkv);
        CloseToFd("dQkv", DoubleReference.Gradient(qd, dy, () => DoubleReference.Attention(qd, b, t, c, heads, causal)), dQkv);
        var dN = new float[qkv.Length];
        Attention.BackwardNaive(dy, qkv, probs, dN, b, t, c, heads, causal);
        KernelAssert.Close("dQkv vs naive", dN, dQkv, rtol: 1e-4f, atol: 1e-6f);
    }

    [Theory]
    [InlineData(4, 50, 96, 12, false)] [InlineData(3, 33, 64, 4, true)]
    public void AttentionBackwardOnThreadedShapesMatchesNaive(int b, int t, int c, int heads, bool causal)
    {
        var qkv = KernelAssert.Random(4, b * t * 3 * c); var dy = KernelAssert.Random(5, b * t * c);
        var probs = new float[b * heads * t * t];
        Attention.Forward(qkv, new float[b * t * c], probs, b, t, c, heads, causal);
        var (d, dN) = (new float[qkv.Length], new float[qkv.Length]);
        Attention.Backward(dy, qkv, probs, d, b, t, c, heads, causal);
        Attention.BackwardNaive(dy, qkv, probs, dN, b, t, c, heads, causal);
        KernelAssert.Close("dQkv", dN, d, rtol: 1e-4f, atol: 1e-5f);
    }

    static float[] Add(float[] a, float[] b) => a.Zip(b, (p, q) => p + q).ToArray();
}
