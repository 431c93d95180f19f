using System.Diagnostics;
using Actors.Tensors.Kernels;

namespace Actors.Benchmarks;

/// <summary>
/// Per-kernel throughput on ViT-B/32 shapes (tokens 50, width 768, 12 heads, MLP 3072) for a batch of images,
/// plus one whole pre-LN residual block forward to show how much time the non-GEMM kernels take.
/// Options: --batch N (default 32), --repeats N (default 5).
/// </summary>
public sealed class KernelsBenchmark : IBenchmark
{
    public string Name => "kernels";
    public string Description => "per-kernel throughput on ViT-B/32 shapes (--batch 32, --repeats 5)";

    const int Tokens = 50, Width = 768, Heads = 12, Hidden = 3072;

    public int Run(string[] args)
    {
        int batch = BenchmarkOptions.Int(args, "--batch", 32), repeats = BenchmarkOptions.Int(args, "--repeats", 5);
        int rows = batch * Tokens;
        Console.WriteLine($"ViT-B/32 shapes: batch {batch}, rows {rows}, width {Width}, heads {Heads}, hidden {Hidden}, " +
            $"{Environment.ProcessorCount} cores, threads per product {Blas.Threads}");

        var x = Fill(1, rows * Width); var y = new float[rows * Width];
        var gamma = Fill(2, Width); var beta = Fill(3, Width);
        var mean = new float[rows]; var rstd = new float[rows];
        var wQkv = Fill(4, 3 * Width * Width, 0.03f); var bQkv = Fill(5, 3 * Width);
        var wOut = Fill(6, Width * Width, 0.03f); var bOut = Fill(7, Width);
        var wFc = Fill(8, Hidden * Width, 0.03f); var bFc = Fill(9, Hidden);
        var wProj = Fill(10, Width * Hidden, 0.02f); var bProj = Fill(11, Width);
        var qkv = new float[rows * 3 * Width]; var attn = new float[rows * Width];
        var probs = new float[batch * Heads * Tokens * Tokens];
        var hidden = new float[rows * Hidden]; var act = new float[rows * Hidden];
        Linear.Forward(x, wQkv, bQkv, qkv, rows, Width, 3 * Width);

        double lnBytes = 2.0 * rows * Width * 4;
        double lnFwd = Time(repeats, () => LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, Width, 1e-5f));
        Report("layernorm.forward", lnBytes / lnFwd / 1e9, "GB/s", lnFwd);
        var dx = new float[rows * Width]; var dg = new float[Width]; var db = new float[Width];
        double lnBwd = Time(repeats, () => LayerNorm.Backward(y, x, gamma, mean, rstd, dx, dg, db, rows, Width));
        Report("layernorm.backward", 3.0 * rows * Width * 4 / lnBwd / 1e9, "GB/s", lnBwd);

        double gemmFlops = 0;
        void LinearCase(string name, float[] input, float[] w, float[] b, float[] output, int c, int oc)
        {
            double s = Time(repeats, () => Linear.Forward(input, w, b, output, rows, c, oc));
            gemmFlops += 2.0 * rows * c * oc;
            Report($"linear.{name}", 2.0 * rows * c * oc / s / 1e9, "GFLOP/s", s);
        }
        LinearCase("qkv", x, wQkv, bQkv, qkv, Width, 3 * Width);
        LinearCase("out", attn, wOut, bOut, y, Width, Width);
        LinearCase("fc", x, wFc, bFc, hidden, Width, Hidden);
        LinearCase("proj", act, wProj, bProj, y, Hidden, Width);

        double attnFlops = 4.0 * batch * Heads * Tokens * Tokens * (Width / Heads);
        double attF = Time(repeats, () => Attention.Forward(qkv, attn, probs, batch, Tokens, Width, Heads, false));
        Report("attention.forward", attnFlops / attF / 1e9, "GFLOP/s", attF);
        var dQkv = new float[qkv.Length];
        double attB = Time(repeats, () => Attention.Backward(attn, qkv, probs, dQkv, batch, Tokens, Width, Heads, false));
        Report("attention.backward", 2 * attnFlops / attB / 1e9, "GFLOP/s", attB);

        double actBytes = 2.0 * rows * Hidden * 4;
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            double s = Time(repeats, () => Activations.Forward(kind, hidden, act));
            Report($"activation.{kind}", actBytes / s / 1e9, "GB/s", s);
        }
        double sm = Time(repeats, () => Softmax.Forward(probs, batch * Heads * Tokens, Tokens));
        Report("softmax.forward", 2.0 * probs.Length * 4 / sm / 1e9, "GB/s", sm);
        double add = Time(repeats, () => Elementwise.AddInPlace(y, x));
        Report("elementwise.addInPlace", 3.0 * y.Length * 4 / add / 1e9, "GB/s", add);

        int latents = 24576, k = 32, topRows = Math.Min(rows, 512);
        var codes = Fill(12, topRows * latents);
        var idx = new int[topRows * k]; var vals = new float[topRows * k];
        double tk = Time(repeats, () => TopK.Rows(codes, topRows, latents, k, idx, vals));
        Report($"topk.rows({topRows}x{latents},k={k})", (double)codes.Length * 4 / tk / 1e9, "GB/s", tk);

        // One pre-LN residual block (CLIP ViT): x += attn(ln1(x)); x += mlp(ln2(x)).
        var ln = new float[rows * Width]; var res = (float[])x.Clone();
        double nonGemm = 0, gemm = 0;
        double Block()
        {
            var sw = Stopwatch.StartNew(); double g = 0;
            LayerNorm.Forward(res, gamma, beta, ln, [], [], rows, Width, 1e-5f);
            g -= sw.Elapsed.TotalSeconds; Linear.Forward(ln, wQkv, bQkv, qkv, rows, Width, 3 * Width); g += sw.Elapsed.TotalSeconds;
            Attention.Forward(qkv, attn, [], batch, Tokens, Width, Heads, false);
            g -= sw.Elapsed.TotalSeconds; Linear.Forward(attn, wOut, bOut, y, rows, Width, Width); g += sw.Elapsed.TotalSeconds;
            Elementwise.AddInPlace(res, y);
            LayerNorm.Forward(res, gamma, beta, ln, [], [], rows, Width, 1e-5f);
            g -= sw.Elapsed.TotalSeconds; Linear.Forward(ln, wFc, bFc, hidden, rows, Width, Hidden); g += sw.Elapsed.TotalSeconds;
            Activations.Forward(ActivationKind.QuickGelu, hidden, hidden);
            g -= sw.Elapsed.TotalSeconds; Linear.Forward(hidden, wProj, bProj, y, rows, Hidden, Width); g += sw.Elapsed.TotalSeconds;
            Elementwise.AddInPlace(res, y);
            double total = sw.Elapsed.TotalSeconds;
            gemm = g; nonGemm = total - g;
            return total;
        }
        Block();
        var totals = new List<(double total, double gemm, double rest)>();
        for (int r = 0; r < repeats; r++) { double t = Block(); totals.Add((t, gemm, nonGemm)); }
        var median = totals.OrderBy(v => v.total).ElementAt(totals.Count / 2);
        double boundGflops = SgemmRate.MeasureGflops(rows, Hidden, Width, repeats);
        double blockFlops = gemmFlops + attnFlops;
        Console.WriteLine($"block.forward: {median.total * 1e3:F2} ms = linear {median.gemm * 1e3:F2} ms + other " +
            $"{median.rest * 1e3:F2} ms ({100 * median.rest / median.total:F1}% non-linear); " +
            $"{blockFlops / median.total / 1e9:F1} GFLOP/s vs sgemm {boundGflops:F1} GFLOP/s " +
            $"(ratio {blockFlops / median.total / 1e9 / boundGflops:F2})");

        Console.WriteLine($"RESULT name=kernels value={lnBytes / lnFwd / 1e9:F2} unit=GB/s");
        return 0;
    }

    static void Report(string name, double rate, string unit, double seconds) =>
        Console.WriteLine($"{name,-34} {rate,10:F2} {unit,-8} {seconds * 1e3,9:F3} ms");

    /// <summary>
    /// Median seconds of several timed runs, after warm-up runs (at least 5 and 1 s) so tiered JIT has
    /// promoted the kernels to optimised code before timing starts.
    /// </summary>
    static double Time(int repeats, Action run)
    {
        var warm = Stopwatch.StartNew();
        for (int w = 0; w < 5 || warm.Elapsed.TotalSeconds < 1; w++) run();
        var s = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            run();
            s.Add(sw.Elapsed.TotalSeconds);
        }
        s.Sort();
        return s[s.Count / 2];
    }

    static float[] Fill(int seed, int length, float scale = 1f)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }
}
