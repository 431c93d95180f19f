using System.Diagnostics;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;

namespace Actors.Benchmarks;

/// <summary>
/// Images/s of the CLIP ViT-B/32-shaped vision tower (random seeded weights, generated once into a cache folder
/// and read back through the Hugging Face loader) on batches of random preprocessed 224 px images. The bound is
/// sgemm's rate on the model's own product shapes at this batch, FLOP-weighted, ÷ 8.82 GFLOP per image.
/// Options: --batch N (32), --batches N (4), --cache DIR, --seed N (1).
/// </summary>
public sealed class ClipImageBenchmark : IBenchmark
{
    const double GflopPerImage = 8.82;

    public string Name => "clip-image";
    public string Description => "CLIP ViT-B/32-shaped image encoder img/s vs sgemm bound (--batch 32 --batches 4)";

    public int Run(string[] args)
    {
        int batch = BenchmarkOptions.Int(args, "--batch", 32), batches = BenchmarkOptions.Int(args, "--batches", 4), seed = BenchmarkOptions.Int(args, "--seed", 1);
        string cache = BenchmarkOptions.Text(args, "--cache") ?? Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Path.GetTempPath(), "actors-cache"),
            $"clip-vit-b-32-seed{seed}");
        var config = RandomClipModel.Preset("vit-b-32");
        if (!File.Exists(Path.Combine(cache, "model.safetensors")))
        {
            var gen = Stopwatch.StartNew();
            RandomClipModel.Write(cache, config, seed);
            Console.WriteLine($"generated ViT-B/32-shaped random model (seed {seed}) in {cache} ({gen.Elapsed.TotalSeconds:F1} s)");
        }
        var weights = ClipCheckpoint.Load(cache);
        var vision = new ClipVisionModel(new CpuBackend(), weights.Config, weights.Vision);
        var v = weights.Config.Vision;

        var rng = new Random(seed);
        var pixels = new float[batch * vision.PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)(rng.NextDouble() * 4 - 2);
        var embeddings = new float[batch * vision.ProjectionDim];

        // The model's products at this batch: (rows, out, in) and how many per forward.
        int rows = batch * v.Tokens, w = v.HiddenSize, inner = v.IntermediateSize;
        var shapes = new[]
        {
            new ShapeTimer("patch", batch * v.Patches, w, v.PatchVectorLength, 1),
            new ShapeTimer("qkv", rows, 3 * w, w, v.Layers),
            new ShapeTimer("out-proj", rows, w, w, v.Layers),
            new ShapeTimer("fc1", rows, inner, w, v.Layers),
            new ShapeTimer("fc2", rows, w, inner, v.Layers),
        };

        vision.Encode(pixels, batch, embeddings); // warm-up: buffers, JIT, OpenBLAS threads
        foreach (var s in shapes) s.Time();
        // Rounds interleave one forward with one timing of each product shape, so that both see the same load
        // (the machine is shared); the bound uses every round's sgemm times.
        var seconds = new List<double>();
        for (int i = 0; i < batches; i++)
        {
            var sw = Stopwatch.StartNew();
            vision.Encode(pixels, batch, embeddings);
            seconds.Add(sw.Elapsed.TotalSeconds);
            foreach (var s in shapes) s.Seconds.Add(s.Time());
        }
        double imagesPerSecond = batch * batches / seconds.Sum();
        Console.WriteLine($"batch {batch} × {batches}: {string.Join(", ", seconds.Select(s => $"{s:F2} s"))} → {imagesPerSecond:F2} img/s");

        double flops = 0, time = 0;
        foreach (var s in shapes)
        {
            double f = 2.0 * s.M * s.N * s.K;
            double t = s.Seconds.Sum() / s.Seconds.Count;
            flops += f * s.Count; time += t * s.Count;
            Console.WriteLine($"sgemm {s.Name,-8} {s.M}×{s.N}×{s.K} ×{s.Count}: {f / t / 1e9:F1} GFLOP/s (mean of {s.Seconds.Count})");
        }
        double weighted = flops / time / 1e9;
        double bound = weighted / GflopPerImage;
        Console.WriteLine($"sgemm FLOP-weighted over the model's shapes: {weighted:F1} GFLOP/s → bound {bound:F2} img/s");
        Console.WriteLine($"peak memory: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB (Process.PeakWorkingSet64)");
        Console.WriteLine($"RESULT name=clip-image value={imagesPerSecond:F3} unit=img/s bound={bound:F3} ratio={imagesPerSecond / bound:F3}");
        return 0;
    }

    /// <summary>C (M,N) = A (M,K) · B (N,K)ᵀ — the nn.Linear product — on preallocated seeded operands.</summary>
    sealed class ShapeTimer
    {
        readonly float[] a, b, c;

        public ShapeTimer(string name, int m, int n, int k, int count)
        {
            Name = name; M = m; N = n; K = k; Count = count;
            var rng = new Random(m + n + k);
            a = new float[(long)m * k]; b = new float[(long)n * k]; c = new float[(long)m * n];
            for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
            for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
        }

        public string Name { get; }
        public int M { get; }
        public int N { get; }
        public int K { get; }
        public int Count { get; }
        public List<double> Seconds { get; } = [];

        public double Time()
        {
            var sw = Stopwatch.StartNew();
            Actors.Tensors.Kernels.Blas.Sgemm(false, true, M, N, K, 1, a, K, b, K, 0, c, N);
            return sw.Elapsed.TotalSeconds;
        }
    }
}
