using System.Diagnostics;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.GpuHost.Ingestion;
using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Benchmarks;

/// <summary>
/// Latent-delta merges per second through an Orleans silo in this process, delivered as ingestion delivers them:
/// pre-sketched batches (BatchSketcher over synthetic top-k SAE outputs, one LatentDeltaBatch per batch × partition)
/// go through LatentDeltaRouter, so each merge is one latent's delta for one batch, a grain call through the
/// runtime to an activated LatentGrain with write-behind state; partitions are delivered concurrently.
/// The first batch is delivered before timing (it activates every touched latent and reads its absent state), and
/// re-delivered inside the timed run, where the ledgers skip it.
/// Options: --latents N (16384), --batches B (40).
/// </summary>
public sealed class GrainMergeBenchmark : IBenchmark
{
    public string Name => "grain-merge";
    public string Description => "latent-delta merges/s through a silo (--latents N --batches B)";

    public int Run(string[] args)
    {
        int dSae = BenchmarkOptions.Int(args, "--latents", 16384), batches = BenchmarkOptions.Int(args, "--batches", 40);
        int partitions = 16;
        var layout = new TokenLayout(50, true);                       // ViT-B/32 at 224 px: CLS + 7×7 patches
        List<LatentDeltaBatch> Sketch(string saeId)
        {
            var sketcher = new BatchSketcher(dSae, layout, partitions);
            var rng = new Random(1);
            var messages = new List<LatentDeltaBatch>();
            for (int b = 0; b < batches; b++)
                messages.AddRange(sketcher.Sketch(saeId, "bench", b, b - 2, SyntheticBatch(rng, 64, layout, dSae, 32, b)).Partitions);
            return messages;
        }

        using var silo = BenchSilo.Start();
        // Warm-up as a long-running silo would be: a full pass into other latents, so the merge path runs tier-1 code.
        Deliver(silo.Grains, Sketch("warm-up"));
        Thread.Sleep(500);   // tiered compilation promotes hot methods in the background
        var messages = Sketch("sae");
        long merges = messages.Sum(m => m.Deltas.Length);
        Deliver(silo.Grains, messages.Where(m => m.BatchId == 0).ToList());
        GC.Collect();

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        Deliver(silo.Grains, messages);
        double seconds = sw.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"{merges} merges over {dSae} latents, {batches} batches × {partitions} partitions, {seconds:F3} s " +
                          $"({cpuSeconds:F2} CPU s on {Environment.ProcessorCount} cores)");
        Console.WriteLine($"RESULT name=grain-merge value={merges / seconds:F0} unit=merge/s");
        return 0;
    }

    /// <summary>Each batch's partitions concurrently, batches in order (as ingestion sends them).</summary>
    static void Deliver(IGrainFactory grains, List<LatentDeltaBatch> messages)
    {
        foreach (var batch in messages.GroupBy(m => m.BatchId))
            Task.WhenAll(batch.Select(m => LatentDeltaRouter.DeliverAsync(grains, m))).GetAwaiter().GetResult();
    }

    /// <summary>Top-k SAE output: each token activates k latents drawn from a skewed (Zipf-like) distribution.</summary>
    static SaeBatch SyntheticBatch(Random rng, int images, TokenLayout layout, int dSae, int k, int batch)
    {
        int tokens = images * layout.TokensPerImage;
        var offsets = new int[tokens + 1]; var latents = new int[tokens * k]; var values = new float[tokens * k];
        var picked = new HashSet<int>();
        for (int t = 0; t < tokens; t++)
        {
            picked.Clear();
            while (picked.Count < k) picked.Add((int)(dSae * Math.Pow(rng.NextDouble(), 2)));
            int n = t * k;
            foreach (var s in picked.Order()) { latents[n] = s; values[n++] = (float)(rng.NextDouble() * 4); }
            offsets[t + 1] = n;
        }
        var refs = Enumerable.Range(0, images).Select(i => new ImageRef("bench", $"b{batch}/i{i}", $"h{batch}-{i}")).ToArray();
        var labels = Enumerable.Range(0, images).Select(i => (string?)$"class{rng.Next(10)}").ToArray();
        return new SaeBatch(refs, labels, offsets, latents, values);
    }
}
