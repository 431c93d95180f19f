using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Backends;

/// <summary>Each CpuBackend operation against the naive kernel (or an index formula) on seeded data, odd sizes included.</summary>
public class CpuBackendTests
{
    readonly CpuBackend backend = new();

    static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        Assert.True(max <= tolerance, $"{what}: max |diff| {max} > {tolerance}");
    }

    float[] Host(Tensor t) { var v = new float[t.Length]; backend.CopyToHost(t, v); return v; }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(7, 13, 5, true)]
    [InlineData(50, 64, 192, false)]
    [InlineData(33, 97, 31, true)]
    public void LinearMatchesNaiveKernel(int n, int c, int oc, bool withBias)
    {
        var x = Random(n * c, 1); var w = Random(oc * c, 2); var b = Random(oc, 3);
        var y = backend.Allocate(n, oc);
        backend.Linear(backend.FromHost(x, n, c), backend.FromHost(w, oc, c), withBias ? backend.FromHost(b, oc) : null, y);
        var expected = new float[n * oc];
        global::Actors.Tensors.Kernels.Linear.ForwardNaive(x, w, withBias ? b : default, expected, n, c, oc);
        AssertClose(expected, Host(y), 1e-5f * MathF.Sqrt(c) + 1e-6f, "linear");
    }

    [Fact]
    public void LinearRejectsMismatchedInputNamingBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            backend.Linear(backend.Allocate(4, 5), backend.Allocate(3, 6), null, backend.Allocate(4, 3)));
        Assert.Contains("5 columns", ex.Message);
        Assert.Contains("[3,6]", ex.Message);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 17)]
    [InlineData(50, 768)]
    public void LayerNormMatchesNaiveKernel(int rows, int dim)
    {
        var x = Random(rows * dim, 4); var g = Random(dim, 5); var b = Random(dim, 6);
        var y = backend.Allocate(rows, dim);
        backend.LayerNorm(backend.FromHost(x, rows, dim), backend.FromHost(g, dim), backend.FromHost(b, dim), y, 1e-5f);
        var expected = new float[rows * dim];
        global::Actors.Tensors.Kernels.LayerNorm.ForwardNaive(x, g, b, expected, new float[rows], new float[rows], rows, dim, 1e-5f);
        AssertClose(expected, Host(y), 1e-4f, "layer norm");
    }

    [Theory]
    [InlineData(1, 1, 4, 1, false)]
    [InlineData(2, 5, 12, 3, false)]
    [InlineData(3, 7, 16, 2, true)]
    [InlineData(2, 50, 64, 4, false)]
    public void AttentionMatchesNaiveKernel(int b, int t, int c, int heads, bool causal)
    {
        var qkv = Random(b * t * 3 * c, 7);
        var output = backend.Allocate(b, t, c);
        backend.Attention(backend.FromHost(qkv, b, t, 3 * c), output, b, t, heads, causal);
        var expected = new float[b * t * c];
        global::Actors.Tensors.Kernels.Attention.ForwardNaive(qkv, expected, new float[b * heads * t * t], b, t, c, heads, causal);
        AssertClose(expected, Host(output), 1e-5f, "attention");
    }

    [Theory]
    [InlineData(ActivationKind.QuickGelu)]
    [InlineData(ActivationKind.Gelu)]
    [InlineData(ActivationKind.Relu)]
    public void ActivationMatchesNaiveKernelInPlace(ActivationKind kind)
    {
        var x = Random(1031, 8);
        for (int i = 0; i < x.Length; i++) x[i] *= 6;
        var t = backend.FromHost((float[])x.Clone(), x.Length);
        backend.Activation(kind, t, t);
        var expected = new float[x.Length];
        Activations.ForwardNaive(kind, x, expected);
        AssertClose(expected, Host(t), 1e-5f, kind.ToString());
    }

    [Fact]
    public void SoftmaxMatchesNaiveKernel()
    {
        var x = Random(7 * 33, 9);
        var t = backend.FromHost((float[])x.Clone(), 7, 33);
        backend.Softmax(t);
        global::Actors.Tensors.Kernels.Softmax.ForwardNaive(x, 7, 33);
        AssertClose(x, Host(t), 1e-6f, "softmax");
    }

    [Fact]
    public void AddAndAddRepeatedMatchElementwiseSums()
    {
        var a = Random(6 * 5, 10); var p = Random(3 * 5, 11);
        var y = backend.Allocate(6, 5);
        backend.Add(backend.FromHost(a, 6, 5), backend.FromHost(a, 6, 5), y);
        backend.AddRepeated(y, backend.FromHost(p, 3, 5));
        var expected = new float[30];
        for (int i = 0; i < 30; i++) expected[i] = 2 * a[i] + p[i % 15];
        AssertClose(expected, Host(y), 1e-6f, "add + add repeated");
        Assert.Throws<ArgumentException>(() => backend.AddRepeated(y, backend.Allocate(4, 5)));
    }

    [Fact]
    public void GatherAndCopyRowsMoveWholeRows()
    {
        var table = Random(4 * 3, 12);
        var dst = backend.Allocate(3, 3);
        backend.GatherRows(backend.FromHost(table, 4, 3), [3, 0, 3], dst);
        var got = Host(dst);
        for (int j = 0; j < 3; j++) { Assert.Equal(table[9 + j], got[j]); Assert.Equal(table[j], got[3 + j]); Assert.Equal(table[9 + j], got[6 + j]); }
        var canvas = backend.Allocate(5, 3);
        backend.CopyRows(dst, [0, 1], canvas, [4, 2]);
        var c = Host(canvas);
        for (int j = 0; j < 3; j++) { Assert.Equal(got[j], c[12 + j]); Assert.Equal(got[3 + j], c[6 + j]); Assert.Equal(0, c[j]); }
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.GatherRows(backend.FromHost(table, 4, 3), [4], backend.Allocate(1, 3)));
    }

    [Fact]
    public void ExtractPatchesLaysOutRowsLikeConvWeights()
    {
        int b = 2, ch = 3, h = 6, w = 9, p = 3;
        var img = Random(b * ch * h * w, 13);
        var patches = backend.Allocate(b * 2 * 3, ch * p * p);
        backend.ExtractPatches(backend.FromHost(img, b, ch, h, w), p, patches);
        var got = Host(patches);
        for (int n = 0; n < b; n++)
            for (int py = 0; py < 2; py++)
                for (int px = 0; px < 3; px++)
                    for (int c = 0; c < ch; c++)
                        for (int ky = 0; ky < p; ky++)
                            for (int kx = 0; kx < p; kx++)
                            {
                                int row = (n * 2 + py) * 3 + px, col = (c * p + ky) * p + kx;
                                Assert.Equal(img[((n * ch + c) * h + py * p + ky) * w + px * p + kx], got[row * ch * p * p + col]);
                            }
    }

    [Fact]
    public void TopKMatchesNaiveKernel()
    {
        var x = Random(5 * 40, 14);
        int k = 6;
        var idx = new int[5 * k]; var val = new float[5 * k];
        backend.TopK(backend.FromHost(x, 5, 40), k, idx, val);
        var eIdx = new int[5 * k]; var eVal = new float[5 * k];
        TopK.RowsNaive(x, 5, 40, k, eIdx, eVal);
        Assert.Equal(eIdx, idx);
        Assert.Equal(eVal, val);
    }

    [Fact]
    public void ReshapeAndSliceShareStorage()
    {
        var t = backend.FromHost(Random(24, 15), 4, 6);
        var s = t.Slice(1, 2).Reshape(3, 4);
        backend.Scale(s, 0);
        var v = Host(t);
        for (int i = 0; i < 24; i++) Assert.Equal(i is >= 6 and < 18, v[i] == 0);
        Assert.Throws<ArgumentException>(() => t.Reshape(5, 5));
    }
}
