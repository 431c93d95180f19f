using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests;

public class BlasTests
{
    public static TheoryData<bool, bool, int, int, int> Shapes() =>
        EveryTranspose([[1, 1, 1], [3, 5, 7], [17, 1, 33], [64, 64, 64], [65, 31, 129], [128, 3, 768]]);

    /// <summary>Uniform values in [−1, 1).</summary>
    static float[] Fill(Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    /// <summary>Each (m, n, k) with each of the four transpose cases.</summary>
    static TheoryData<bool, bool, int, int, int> EveryTranspose(int[][] sizes)
    {
        var data = new TheoryData<bool, bool, int, int, int>();
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
        var a = Fill(rng, m * k); var b = Fill(rng, k * n); var c0 = Fill(rng, m * n);
        var fast = (float[])c0.Clone(); var naive = (float[])c0.Clone();
        int lda = transA ? m : k, ldb = transB ? k : n;
        Blas.Sgemm(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, fast, n);
        Blas.SgemmNaive(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, naive, n);
        float maxDiff = 0;
        for (int i = 0; i < fast.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(fast[i] - naive[i]));
        Assert.True(maxDiff <= 1e-5f * Math.Sqrt(k) + 1e-6f, $"max |diff| {maxDiff} for m={m} n={n} k={k}");
    }

    /// <summary>Products large enough to be split, along C's rows (m ≥ n) and columns (n &gt; m), with every leading
    /// dimension padded so that a block offset by the wrong stride reads or writes the wrong elements.</summary>
    public static TheoryData<bool, bool, int, int, int> SplitShapes() =>
        EveryTranspose([[300, 40, 200], [40, 300, 200], [1000, 70, 64], [67, 1203, 37]]);

    [Theory, MemberData(nameof(SplitShapes))]
    public void SplitProductsMatchTheNaiveReferenceAndLeavePaddingAlone(bool transA, bool transB, int m, int n, int k)
    {
        Assert.True(Blas.BlocksFor(m, n, k) > 1 || Blas.Threads == 1, $"m={m} n={n} k={k} is not split");
        var rng = new Random(m * 7 + n * 3 + k);
        int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 5, ldc = n + 7;
        var a = Fill(rng, (transA ? k : m) * lda); var b = Fill(rng, (transB ? n : k) * ldb); var c0 = Fill(rng, m * ldc);
        var fast = (float[])c0.Clone(); var naive = (float[])c0.Clone();
        Blas.Sgemm(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, fast, ldc);
        Blas.SgemmNaive(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, naive, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(fast[i * ldc + j] - naive[i * ldc + j]) <= 1e-5f * Math.Sqrt(k) + 1e-6f,
                    $"C[{i},{j}] = {fast[i * ldc + j]}, reference {naive[i * ldc + j]}");
            for (int j = n; j < ldc; j++) Assert.Equal(c0[i * ldc + j], fast[i * ldc + j]);
        }
    }

    [Fact]
    public void ProductsCalledFromSeveralThreadsAtOnceAreEachRight()
    {
        // OpenBLAS runs single-threaded and every caller's blocks share the pool: concurrent products must not share state.
        const int m = 200, n = 180, k = 96;
        var results = new float[8][];
        var expected = new float[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, p =>
        {
            var rng = new Random(p);
                var a = Fill(rng, m * k); var b = Fill(rng, n * k);
            results[p] = new float[m * n]; expected[p] = new float[m * n];
            for (int repeat = 0; repeat < 5; repeat++) Blas.Sgemm(false, true, m, n, k, 1, a, k, b, k, 0, results[p], n);
            Blas.SgemmNaive(false, true, m, n, k, 1, a, k, b, k, 0, expected[p], n);
        });
        for (int p = 0; p < 8; p++)
            for (int i = 0; i < m * n; i++)
                Assert.True(Math.Abs(results[p][i] - expected[p][i]) <= 1e-4f, $"product {p}, element {i}: {results[p][i]} vs {expected[p][i]}");
    }

    [Fact]
    public void SmallProductsRunAsOneCallAndLargeOnesAsSeveralBlocksPerThread()
    {
        Assert.Equal(1, Blas.BlocksFor(64, 64, 64));          // 262k multiply-adds: one call
        Assert.Equal(1, Blas.BlocksFor(8, 8, 1 << 20));        // large, but no extent to split
        if (Blas.Threads > 1) Assert.Equal(4 * Blas.Threads, Blas.BlocksFor(2048, 49152, 128));   // an SAE encode chunk
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
