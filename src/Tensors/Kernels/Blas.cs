using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Actors.Tensors.Kernels;

/// <summary>
/// Row-major single-precision matrix products through OpenBLAS's <c>cblas_sgemm</c>
/// (Debian package libopenblas0-pthread), with a naive reference kernel beside it.
/// C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C[m,n].
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

    /// <summary>log2 of the cycles an idle OpenBLAS worker spins before it sleeps (OpenBLAS's minimum is 4).</summary>
    public const int ThreadTimeoutExponent = 4;

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
    /// already set in the environment.
    /// <para>
    /// It also sets OPENBLAS_THREAD_TIMEOUT (unless set): OpenBLAS's worker threads otherwise spin with sched_yield for
    /// 2^28 cycles after each product before they sleep. A host process runs other work between products (image
    /// decoding, sketching, grain deliveries); measured in ingest-wide, the spinning was 5 % of all CPU and took
    /// its cores from that work. With 2^<see cref="ThreadTimeoutExponent"/> cycles they sleep almost at once.
    /// </para>
    /// </summary>
    static Blas()
    {
        if (!OperatingSystem.IsLinux()) return;
        setenv("OPENBLAS_THREAD_TIMEOUT", ThreadTimeoutExponent.ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
        if (getenv("OPENBLAS_CORETYPE") != IntPtr.Zero) return;
        ChosenCoreType = CoreTypeFor(Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512CD.IsSupported,
            Avx2.IsSupported && Fma.IsSupported);
        if (ChosenCoreType is not null) setenv("OPENBLAS_CORETYPE", ChosenCoreType, 0);
    }

    /// <summary>OpenBLAS kernels for the instruction sets present: SkylakeX (AVX-512), Haswell (AVX2 + FMA), else its own choice.</summary>
    internal static string? CoreTypeFor(bool avx512, bool avx2Fma) => avx512 ? "SkylakeX" : avx2Fma ? "Haswell" : null;

    [DllImport(Library, EntryPoint = "openblas_set_num_threads")]
    static extern void openblas_set_num_threads(int threads);

    [DllImport(Library, EntryPoint = "openblas_get_num_threads")]
    static extern int openblas_get_num_threads();

    /// <summary>Threads OpenBLAS uses for one product (defaults to the processor count).</summary>
    public static int Threads
    {
        get => openblas_get_num_threads();
        set => openblas_set_num_threads(Math.Max(1, value));
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C, all row-major. Checks every extent before calling BLAS.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        CheckArguments(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k,
                alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

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
