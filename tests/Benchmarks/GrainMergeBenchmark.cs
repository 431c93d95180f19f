using System.Diagnostics;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Runtime;
using Actors.Grains.Sketches;

namespace Actors.Benchmarks;

/// <summary>
/// Latent-delta merges per second applied to LatentGrain instances in-process, batched as ingestion sends them
/// (one LatentDeltaBatch per batch × partition, one merge per touched latent). It measures the grain merge path
/// itself — ILatentGrain.MergeAsync on activated grains with write-behind state — not a silo's scheduling or
/// storage: deltas are pre-sketched by BatchSketcher from synthetic top-k SAE outputs, then partitions are merged
/// on all cores (a partition's grains are touched by one thread only, as a silo's turn-based scheduling would).
/// </summary>
public sealed class GrainMergeBenchmark : IBenchmark
{
    public string Name => "grain-merge";
    public string Description => "latent-delta merges/s into LatentGrain instances (--latents N --batches B)";

    public int Run(string[] args)
    {
        int dSae = BenchmarkOptions.Int(args, "--latents", 16384), batches = BenchmarkOptions.Int(args, "--batches", 40);
        int partitions = Environment.ProcessorCount;
        var layout = new TokenLayout(50, true);                       // ViT-B/32 at 224 px: CLS + 7×7 patches
        var sketcher = new BatchSketcher(dSae, layout, partitions);
        var rng = new Random(1);
        var messages = new List<LatentDeltaBatch>();
        for (int b = 0; b < batches; b++)
            messages.AddRange(sketcher.Sketch("sae", "bench", b, b - 2, SyntheticBatch(rng, 64, layout, dSae, 32, b)).Partitions);
        long merges = messages.Sum(m => m.Deltas.Length);

        var byPartition = messages.GroupBy(m => m.Partition).Select(g => g.ToArray()).ToArray();
        // Warm-up as a long-running silo would be: two full passes into throwaway grains with a pause between, so
        // the merge path runs tier-1 JIT code (not tier-0 or on-stack-replaced loops) when timed.
        for (int pass = 0; pass < 2; pass++)
        {
            Merge(byPartition, NewGrains(dSae));
            Thread.Sleep(500);   // tiered compilation promotes hot methods in the background
        }
        var grains = NewGrains(dSae);
        Merge(byPartition.Select(p => p.Take(1).ToArray()).ToArray(), grains);   // first batch; its re-delivery below is skipped
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();                // the warm-up's grains are garbage now

        long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long applied = Merge(byPartition, grains);
        double seconds = sw.Elapsed.TotalSeconds;
        // CPU seconds spent by this process over the run, divided by the threads used: on a machine shared with
        // other work, this is the wall time the run would have taken with its cores to itself.
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        // Allocation on the merge path (growth of label maps, top-k buffers on first use).
        double bytesPerMerge = (GC.GetTotalAllocatedBytes(precise: true) - bytes0) / (double)Math.Max(1, applied);
        Console.WriteLine($"allocated {bytesPerMerge:F1} B/merge");
        Console.WriteLine($"cpu {cpuSeconds:F3} s over {partitions} threads: uncontended estimate {applied / (cpuSeconds / partitions):F0} merge/s");
        Console.WriteLine($"{merges} deltas ({applied} applied, rest re-delivered warm-up batch) over {dSae} latents, " +
                          $"{batches} batches × {partitions} partitions, {partitions} threads, {seconds:F3} s");
        Console.WriteLine($"RESULT name=grain-merge value={applied / seconds:F0} unit=merge/s");
        return 0;
    }

    static LatentGrain[] NewGrains(int dSae)
    {
        var grains = new LatentGrain[dSae];
        for (int s = 0; s < dSae; s++)
        {
            grains[s] = new LatentGrain(new NullState<LatentState>(), LatentGrainOptions.Default);
            grains[s].Bind(new BenchContext(LatentKey.Of("sae", s)));
        }
        return grains;
    }

    static long Merge(LatentDeltaBatch[][] byPartition, LatentGrain[] grains)
    {
        long applied = 0;
        Parallel.ForEach(byPartition, new ParallelOptions { MaxDegreeOfParallelism = byPartition.Length }, part =>
        {
            long local = 0;
            foreach (var m in part)
                foreach (var e in m.Deltas)
                    if (grains[e.LatentIndex].MergeAsync(e.Delta).GetAwaiter().GetResult()) local++;
            Interlocked.Add(ref applied, local);
        });
        return applied;
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


    sealed class NullState<T> : IPersistentState<T> where T : class, new()
    {
        public T State { get; set; } = new();
        public string? Etag => null;
        public bool RecordExists => false;
        public Task ReadStateAsync(CancellationToken c = default) => Task.CompletedTask;
        public Task WriteStateAsync(CancellationToken c = default) => Task.CompletedTask;
        public Task ClearStateAsync(CancellationToken c = default) => Task.CompletedTask;
    }

    sealed class BenchContext(string key) : IGrainContext
    {
        public string Key => key;
        public IGrainFactory GrainFactory => throw new NotSupportedException("the merge benchmark calls no other grain");
        public void DeactivateOnIdle() { }
        public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) => new Noop();
        sealed class Noop : IDisposable { public void Dispose() { } }
    }
}
