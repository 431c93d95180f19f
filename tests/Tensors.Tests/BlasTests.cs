using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests;

public class BlasTests
{
    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        int[][] sizes = [[1, 1, 1], [3, 5, 7], [17, 1, 33], [64, 64, 64], [65, 31, 129], [128, 3, 768]];
        foreach (var s in sizes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(ta, tb, s[0], s[1], s[2]);
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void SgemmMatchesNaiveReference(bool transA, bool transB, int m, int n, int k)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        float[] Fill(int len) { var v = new float[len]; for (int i = 0; i < len; i++) v[i] = (float)(rng.NextDouble() * 2 - 1); return v; }
        var a = Fill(m * k); var b = Fill(k * n); var c0 = Fill(m * n);
        var fast = (float[])c0.Clone(); var naive = (float[])c0.Clone();
        int lda = transA ? m : k, ldb = transB ? k : n;
        Blas.Sgemm(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, fast, n);
        Blas.SgemmNaive(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, naive, n);
        float maxDiff = 0;
        for (int i = 0; i < fast.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(fast[i] - naive[i]));
        Assert.True(maxDiff <= 1e-5f * Math.Sqrt(k) + 1e-6f, $"max |diff| {maxDiff} for m={m} n={n} k={k}");
    }

    [Fact]
    public void SgemmRejectsTooShortBufferNamingTheOperand()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Blas.Sgemm(false, false, 4, 4, 4, 1, new float[15], 4, new float[16], 4, 0, new float[16], 4));
        Assert.Contains("A holds 15", ex.Message);
    }

    [Fact]
    public void OpenBlasRunsTheKernelsChosenForThisCpuBeforeItLoaded()
    {
        Assert.Equal("SkylakeX", Blas.CoreTypeFor(avx512: true, avx2Fma: true));
        Assert.Equal("Haswell", Blas.CoreTypeFor(avx512: false, avx2Fma: true));
        Assert.Null(Blas.CoreTypeFor(avx512: false, avx2Fma: false));
        // The override reached OpenBLAS only if it was set before the library loaded (a fallback would say "Prescott").
        if (Blas.ChosenCoreType is { } chosen) Assert.Equal(chosen, Blas.CoreName, ignoreCase: true);
        else Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE")) && System.Runtime.Intrinsics.X86.Avx2.IsSupported,
            "no core type was chosen on an AVX2 machine although OPENBLAS_CORETYPE is not set");
    }
}
