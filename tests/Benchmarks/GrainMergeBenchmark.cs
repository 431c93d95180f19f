using System.Diagnostics;
using Actors.Cluster;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.GpuHost.Ingestion;
using Orleans;
using Actors.Grains.Sketches;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Benchmarks;

/// <summary>
/// Latent-delta merges per second through an Orleans silo in this process, delivered as ingestion delivers them:
/// batches sketched from synthetic top-k SAE outputs (BatchSketcher) are merged on the host per checkpoint interval
/// (DeliveryGroup, --group batches, ingestion's CheckpointEveryBatches), and each group goes to the grains as one
/// call per touched latent, through the runtime to an activated LatentGrain that stores the merge before it answers. One merge is one
/// latent's delta for one batch (what the group folds in); the calls made are printed beside. Groups are built
/// before timing (that merging is ingestion's sketch stage); the timed part is the delivery. The first group is
/// delivered before timing (activating the latents) and is not counted.
/// value=: one silo in this process (<see cref="BenchSilo"/>, SQLite); target ≥ 300,000/s. cluster=: the same groups
/// delivered from this process as a GPU host delivers them, joined as an Orleans client (UseActorsCluster, Redis
/// membership) to storage silo processes (Silo.dll; --silos, 2 by default, deploy/'s cluster runs 3) that hold the
/// latents, so every call crosses a socket, the serializer and another process's storage; target ≥ 100,000/s.
/// It prints how the latent activations spread over those silos (Orleans 10 places them resource-optimized by default).
/// calls=, cluster_calls=: latent calls per second. A call carries one latent's delta merged over the group's batches, so
/// merges/s ≈ calls/s × the batches a call covers: calls/s is the runtime's figure, which a smaller group multiplies less.
/// Options: --latents N (16384), --group G (ingestion's CheckpointEveryBatches, 256), --images per batch (ingestion's
/// BatchSize, 32), --batches B (3 groups), --silos S (storage silo processes, 2), --cluster-storage postgres|sqlite
/// (postgres: one schema, as deployed; sqlite: a database per silo), --no-cluster (value= alone).
/// </summary>
public sealed class GrainMergeBenchmark : IBenchmark
{
    public string Name => "grain-merge";
    public string Description => "latent-delta merges/s delivered through a silo in process and to storage silo processes (--latents --group --images --batches --silos)";

    public int Run(string[] args)
    {
        // Groups as ingestion forms them on a host fast enough to fill a checkpoint interval with its batch cap (at
        // ingestion's defaults, 256 batches of 32 images: any host above ≈ 820 img/s, which is the GPU host the
        // figure is for); a slower host's groups are cut by CheckpointSeconds instead, and --group says how many.
        var ingestion = new IngestionOptions();
        int dSae = BenchmarkOptions.Int(args, "--latents", 16384), groupSize = BenchmarkOptions.Int(args, "--group", ingestion.CheckpointEveryBatches);
        int images = BenchmarkOptions.Int(args, "--images", ingestion.BatchSize), batches = BenchmarkOptions.Int(args, "--batches", 3 * groupSize);
        var layout = new TokenLayout(50, true);                       // ViT-B/32 at 224 px: CLS + 7×7 patches
        // Built one at a time, as ingestion holds one checkpoint interval's group: pre-building them all kept GBs of
        // sketches alive, and every collection of that heap was timed as delivery.
        IEnumerable<DeliveryGroup> Groups(string saeId, int batches)
        {
            var sketcher = new BatchSketcher(dSae, layout, 1);
            var rng = new Random(1);
            DeliveryGroup? group = null;
            for (int b = 0; b < batches; b++)
            {
                group ??= new DeliveryGroup(saeId, "bench", null);
                group.Add(b, SyntheticBatch(rng, images, layout, dSae, 32, b), sketcher);   // as ingestion sketches: into the group
                if ((b + 1) % groupSize == 0 || b == batches - 1) { yield return group; group = null; }
            }
        }

        Rates inProcess;
        using (var silo = BenchSilo.Start()) inProcess = Measure("one silo in this process (SQLite)", LatentGrainReferences.From(silo.Host.Services), Groups, groupSize, batches, dSae);
        string shape = $"group={groupSize} images_per_batch={images} calls={inProcess.Calls:F0}";
        if (args.Contains("--no-cluster"))
        {
            Console.WriteLine($"RESULT name=grain-merge value={inProcess.Merges:F0} unit=merge/s {shape}");
            return 0;
        }

        var storage = (BenchmarkOptions.Text(args, "--cluster-storage") ?? "postgres") switch
        {
            "postgres" => StorageKind.Postgres,
            "sqlite" => StorageKind.Sqlite,
            var other => throw new ArgumentException($"--cluster-storage {other}: expected postgres or sqlite"),
        };
        int siloCount = BenchmarkOptions.Int(args, "--silos", 2);
        if (siloCount < 1) throw new ArgumentException($"--silos {siloCount}: a cluster needs at least one storage silo");
        string folder = Directory.CreateTempSubdirectory("grain-merge-cluster-").FullName;
        Rates cluster;
        var silos = LoopbackCluster.StartStorageAsync(folder, siloCount, storage).GetAwaiter().GetResult();
        try
        {
            using var client = ClusterClient(silos.RedisPort);
            cluster = Measure($"a client of {siloCount} storage silo processes ({storage})", LatentGrainReferences.From(client.Services),
                Groups, groupSize, batches, dSae);
            Console.WriteLine($"latent activations per silo: {LatentsPerSilo(client.Services.GetRequiredService<IGrainFactory>())}");
            client.StopAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{e.Message}\n{silos.Logs}", e);
        }
        finally
        {
            silos.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine($"RESULT name=grain-merge value={inProcess.Merges:F0} unit=merge/s cluster={cluster.Merges:F0} cluster_storage={storage.ToString().ToLowerInvariant()} cluster_silos={siloCount} {shape} cluster_calls={cluster.Calls:F0}");
        return 0;
    }

    /// <summary>
    /// Warms up on another SAE's latents (a long-running silo runs tier-1 code), activates the latents by delivering
    /// the first group untimed, then times the delivery of each further group (fresh batches, so every one is merged
    /// and stored; building a group is ingestion's sketch stage and is not timed); returns merges/s.
    /// </summary>
    static Rates Measure(string where, LatentGrainReferences grains, Func<string, int, IEnumerable<DeliveryGroup>> build, int groupSize, int batches, int dSae)
    {
        foreach (var group in build("warm-up", groupSize)) Deliver(grains, group);
        Thread.Sleep(500);   // tiered compilation promotes hot methods in the background
        long merges = 0, calls = 0;
        int timedGroups = 0;
        var delivering = new Stopwatch();
        var cpu = TimeSpan.Zero;
        foreach (var group in build("sae", batches))
        {
            if (timedGroups++ == 0) { Deliver(grains, group); continue; }   // activates the latents
            if (timedGroups == 2) Console.Error.WriteLine($"{where}: timing deliveries");
            merges += group.BatchDeltas;
            calls += group.TouchedLatents;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            delivering.Start();
            Deliver(grains, group);
            delivering.Stop();
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        }
        if (timedGroups < 2) throw new ArgumentException($"--batches must cover at least two groups of {groupSize}: one activates, the rest are timed");
        double seconds = delivering.Elapsed.TotalSeconds;
        Console.WriteLine($"{where}: {merges} merges in {calls} latent calls ({timedGroups - 1} timed groups of {groupSize} batches) over {dSae} latents, " +
                          $"{seconds:F3} s ({cpu.TotalSeconds:F2} CPU s of this process on {Environment.ProcessorCount} cores): " +
                          $"{calls / seconds:F0} calls/s, {merges / seconds:F0} merges/s");
        return new Rates(merges / seconds, calls / seconds);
    }

    /// <summary>Latent-delta merges and latent calls per second of the timed deliveries.</summary>
    sealed record Rates(double Merges, double Calls);

    /// <summary>How the latent grains spread over the storage silos (Orleans's management grain), e.g. "8192 / 8192".</summary>
    static string LatentsPerSilo(IGrainFactory grains)
    {
        var counts = GrainCensus.TakeAsync(grains).GetAwaiter().GetResult().PerSilo("LatentGrain").Values.OrderByDescending(n => n).ToArray();
        return counts.Length == 0 ? "none" : string.Join(" / ", counts);
    }

    /// <summary>An Orleans client of the cluster, joined as the API joins it (UseActorsCluster through Redis).</summary>
    static IHost ClusterClient(int redisPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseActorsCluster(new ClusterSettings
        {
            Membership = ClusterMembership.Redis, Redis = $"127.0.0.1:{redisPort}",
        }));
        var host = builder.Build();
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }

    static void Deliver(LatentGrainReferences grains, DeliveryGroup group) => group.DeliverAsync(grains, -1).GetAwaiter().GetResult();

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
