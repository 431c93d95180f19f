using System.Diagnostics;
using Actors.Sae.Architectures;
using Actors.Sae.Training;

namespace Actors.Benchmarks;

/// <summary>Top-k SAE encode throughput (d_in 768, d_sae 49152, k 64) against the dense encoder product alone.
/// Options: --batch N rows (4096; ingestion of 32 images × 50 tokens encodes 1600).</summary>
public sealed class SaeEncodeBenchmark : IBenchmark
{
    public string Name => "sae-encode";
    public string Description => "top-k SAE encode tok/s vs sgemm bound (d_in 768, d_sae 49152, k 64, --batch 4096)";

    public int Run(string[] args)
    {
        const int dIn = 768, dSae = 49152, k = 64;
        int batch = BenchmarkOptions.Int(args, "--batch", 4096);
        var sae = SparseAutoencoder.CreateRandom(new TopKSaeConfig(dIn, dSae, k), 1);
        var x = new float[batch * dIn];
        new PlantedFeatureSource(dIn, 1000, 16, seed: 2).Read(x, batch);
        sae.Encode(x.AsSpan(0, Math.Min(256, batch) * dIn), Math.Min(256, batch)); // warm-up
        var times = new List<double>();
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            sae.Encode(x, batch);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        double tokPerS = batch / times[2];
        double gflops = SgemmRate.MeasureGflops(batch, dSae, dIn, repeats: 3);
        double bound = gflops * 1e9 / (2.0 * dIn * dSae);
        Console.WriteLine($"encode {times[2] * 1e3:F0} ms per batch; sgemm {gflops:F1} GFLOP/s on {batch}x{dIn}·{dIn}x{dSae}");
        Console.WriteLine($"RESULT name=sae-encode value={tokPerS:F0} unit=tok/s bound={bound:F0} ratio={tokPerS / bound:F3}");
        return 0;
    }
}
