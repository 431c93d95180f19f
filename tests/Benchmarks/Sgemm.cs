using System.Diagnostics;
using Actors.Tensors.Kernels;

namespace Actors.Benchmarks;

/// <summary>Measures cblas_sgemm throughput on given shapes; other benchmarks use it for their bound.</summary>
public static class SgemmRate
{
    /// <summary>GFLOP/s of C[m,n] = A[m,k]·B[n,k]ᵀ (the nn.Linear product), median of several timed runs.</summary>
    public static double MeasureGflops(int m, int n, int k, int repeats = 5)
    {
        var rng = new Random(1);
        var a = new float[(long)m * k]; var b = new float[(long)n * k]; var c = new float[(long)m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
        Blas.Sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n); // warm-up
        var seconds = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            Blas.Sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n);
            seconds.Add(sw.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        return 2.0 * m * n * k / seconds[seconds.Count / 2] / 1e9;
    }
}

public sealed class SgemmBenchmark : IBenchmark
{
    public string Name => "sgemm";
    public string Description => "cblas_sgemm GFLOP/s on a square product (--size N, default 2048)";

    public int Run(string[] args)
    {
        int size = BenchmarkOptions.Int(args, "--size", 2048);
        double gflops = SgemmRate.MeasureGflops(size, size, size);
        Console.WriteLine($"RESULT name=sgemm value={gflops:F1} unit=GFLOP/s");
        return 0;
    }
}
