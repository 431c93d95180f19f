using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Actors.Tensors.Kernels;

/// <summary>
/// Row-major single-precision matrix products through OpenBLAS's <c>cblas_sgemm</c>
/// (Debian package libopenblas0-pthread), with a naive reference kernel beside it.
/// C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C[m,n].
/// <para>
/// OpenBLAS runs single-threaded: a large product is split into blocks of C's rows or columns (along the larger of
/// the two) that the .NET thread pool runs, one OpenBLAS call each. OpenBLAS's own threads split a product
/// statically, one part per core, and the calling thread spins on sched_yield until the last part is done; in a
/// host that decodes images, sketches and delivers on the same cores, the part whose core that work took held up
/// the whole product. Pool threads take the blocks as they come free, so other work costs a product its own CPU
/// time only. ingest-wide, 4 interleaved pairs on 2 cores (OpenBLAS threads → blocks): model_ratio 0.489 / 0.538 /
/// 0.545 / 0.543 → 0.574 / 0.588 / 0.550 / 0.564, warm_ratio 0.573–0.593 → 0.628–0.655.
/// </para>
/// </summary>
public static unsafe class Blas
{
    const string Library = "libopenblas.so.0";
    const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [DllImport(Library, EntryPoint = "cblas_sgemm")]
    static extern void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [DllImport(Library, EntryPoint = "openblas_get_corename")]
    static extern IntPtr openblas_get_corename();

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr getenv(string name);

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int setenv(string name, string value, int overwrite);

    /// <summary>The core type OpenBLAS was told to use before it loaded, or null (its own CPU detection).</summary>
    public static string? ChosenCoreType { get; }

    /// <summary>The kernels OpenBLAS runs (its core name, e.g. "SkylakeX").</summary>
    public static string CoreName => Marshal.PtrToStringAnsi(openblas_get_corename()) ?? "unknown";

    /// <summary>
    /// Runs before the first call into OpenBLAS, i.e. before the library loads and picks its kernels. Debian's
    /// OpenBLAS (0.3.21, DYNAMIC_ARCH) does not know recent CPU models and falls back to its SSE3 "Prescott" kernels
    /// on them — measured on this project's 2-core VM (an AVX-512 Xeon): a world-clip training step at 0.75 step/s
    /// instead of 2.1 with the AVX-512 kernels. OPENBLAS_CORETYPE overrides the detection; we set it from the
    /// instruction sets the runtime reports (what newer OpenBLAS releases do for unknown models), unless it is
    /// already set in the environment. OPENBLAS_NUM_THREADS=1 keeps OpenBLAS from starting threads of its own
    /// (products are split here instead), whatever the environment says.
    /// </summary>
    static Blas()
    {
        if (!OperatingSystem.IsLinux()) return;
        setenv("OPENBLAS_NUM_THREADS", "1", 1);
        if (getenv("OPENBLAS_CORETYPE") == IntPtr.Zero)
        {
            ChosenCoreType = CoreTypeFor(Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512CD.IsSupported,
                Avx2.IsSupported && Fma.IsSupported);
            if (ChosenCoreType is not null) setenv("OPENBLAS_CORETYPE", ChosenCoreType, 0);
        }
        openblas_set_num_threads(1);   // in case the library was loaded before this ran
    }

    /// <summary>OpenBLAS kernels for the instruction sets present: SkylakeX (AVX-512), Haswell (AVX2 + FMA), else its own choice.</summary>
    internal static string? CoreTypeFor(bool avx512, bool avx2Fma) => avx512 ? "SkylakeX" : avx2Fma ? "Haswell" : null;

    [DllImport(Library, EntryPoint = "openblas_set_num_threads")]
    static extern void openblas_set_num_threads(int threads);

    /// <summary>Threads one product is split over (defaults to the processor count).</summary>
    public static int Threads
    {
        get => threads;
        set => threads = Math.Max(1, value);
    }
    static int threads = Environment.ProcessorCount;

    /// <summary>Products of fewer multiply-adds (m·n·k, ≈ 40 µs of one core) run as one call on the caller's thread.</summary>
    internal const long SplitAbove = 1L << 21;
    /// <summary>
    /// A block of rows (columns) packs the whole of the other operand again, which costs memory bandwidth rather than
    /// arithmetic: blocks of at least this extent keep that to a few percent of the product. ingest (ViT-B/32, whose
    /// products are 1,600 rows by 768–3,072) measured its model alone at 17.6 img/s with 8 blocks of 200 rows, 19.5 before (one pair); with this extent 19.2 and 19.5 against 19.4 and 20.8.
    /// </summary>
    const int MinBlockExtent = 1024;
    /// <summary>Blocks per thread where the extent allows: a thread slowed by other work then hands its share to the others.</summary>
    const int BlocksPerThread = 4;
    /// <summary>Block boundaries fall on multiples of OpenBLAS's register tile extents.</summary>
    const int BlockAlign = 16;

    /// <summary>Blocks <see cref="Sgemm"/> splits an m×n×k product into (1: one call, on the caller's thread); a multiple of
    /// <see cref="Threads"/> so that equal blocks keep every thread busy to the end.</summary>
    internal static int BlocksFor(int m, int n, int k)
    {
        long work = (long)m * n * Math.Max(k, 1);
        int extent = Math.Max(m, n), threads = Threads;
        if (work < SplitAbove || threads <= 1 || extent < 2 * BlockAlign) return 1;
        int perThread = (int)Math.Clamp(extent / ((long)MinBlockExtent * threads), 1, BlocksPerThread);
        return Math.Min(threads * perThread, extent / BlockAlign);
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C, all row-major. Checks every extent before calling BLAS.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        CheckArguments(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        int ta = transA ? Trans : NoTrans, tb = transB ? Trans : NoTrans;
        int blocks = BlocksFor(m, n, k);
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            if (blocks == 1) { cblas_sgemm(RowMajor, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); return; }
            // Along the larger extent: each block packs the whole of the other operand again, so that one should be the smaller.
            bool rows = m >= n;
            int extent = rows ? m : n;
            nint A = (nint)pa, B = (nint)pb, C = (nint)pc;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Threads }, block =>
            {
                int start = Boundary(extent, blocks, block), end = Boundary(extent, blocks, block + 1);
                float* a0 = (float*)A, b0 = (float*)B, c0 = (float*)C;
                if (rows)   // rows start..end of op(A) and of C
                    cblas_sgemm(RowMajor, ta, tb, end - start, n, k, alpha, a0 + (transA ? start : (long)start * lda), lda,
                        b0, ldb, beta, c0 + (long)start * ldc, ldc);
                else        // columns start..end of op(B) and of C
                    cblas_sgemm(RowMajor, ta, tb, m, end - start, k, alpha, a0, lda,
                        b0 + (transB ? (long)start * ldb : start), ldb, beta, c0 + start, ldc);
            });
        }
    }

    /// <summary>Start of block <paramref name="i"/> of <paramref name="blocks"/> over 0..extent, on a multiple of <see cref="BlockAlign"/>;
    /// blocks ≤ extent / BlockAlign, so no block is empty.</summary>
    static int Boundary(int extent, int blocks, int i) => i >= blocks ? extent : (int)((long)extent * i / blocks) / BlockAlign * BlockAlign;

    /// <summary>Triple-loop reference for <see cref="Sgemm"/>, accumulating in double.</summary>
    public static void SgemmNaive(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        CheckArguments(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                float prior = beta == 0 ? 0 : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * sum) + prior;
            }
    }

    static void CheckArguments(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"sgemm: negative extent m={m} n={n} k={k}");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Need("A", aRows, aCols, lda, aLength);
        Need("B", bRows, bCols, ldb, bLength);
        Need("C", m, n, ldc, cLength);
    }

    static void Need(string name, int rows, int cols, int ld, int length)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"sgemm: leading dimension of {name} is {ld}, needs ≥ {cols}");
        long needed = rows == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"sgemm: {name} holds {length} floats, a {rows}×{cols} view with ld {ld} needs {needed}");
    }
}
