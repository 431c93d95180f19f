using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Testing;
using Actors.Vision.Clip;

namespace Actors.Benchmarks;

/// <summary>
/// Seconds a cluster takes to serve again after losing a storage silo. The loopback cluster (LoopbackCluster: storage
/// silos on PostgreSQL with Redis membership, a GPU-host silo, the API as a client, all child processes) ingests a
/// world corpus through a tiny CLIP and SAE over HTTP; once a quarter of the batches are recorded, one storage silo is
/// SIGKILLed. value= runs from the kill until GET /api/saes/sae/latents/{i} has succeeded for every latent of the SAE
/// (all latents polled in a loop, each until its first success: a latent the dead silo held answers once it is
/// activated again on a survivor). Then the ingestion is let complete and compared with an uninterrupted run of the
/// embedded default (its own API process, SQLite), as ClusterFaultTests does: lost= is the most batches missing from
/// any one record (the corpus's applied batches, the SAE's totals in batches of images, a latent's batchesApplied, or a
/// latent with the same batches but fewer firing tokens: 1), doubled= the most counted twice in any one (more than the
/// reference). Both are 0 when the cluster kept its promise; without batch ids per record they are lower bounds.
/// Options: --images N (256), --batch N (2), --checkpoint N (2), --latents N (512), --silos N (3).
/// </summary>
public sealed class ClusterFailoverBenchmark : IBenchmark
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    const string CorpusId = "world";

    public string Name => "cluster-failover";
    public string Description => "seconds from SIGKILL of a storage silo mid-ingestion until every latent answers; lost/doubled batches";

    sealed record LatentCounts(long FiringTokens, long BatchesApplied);
    sealed record SaeTotals(IngestTotals Totals);
    sealed record Documents(CorpusView Corpus, IngestTotals Totals, LatentCounts[] Latents);

    public int Run(string[] args)
    {
        int images = BenchmarkOptions.Int(args, "--images", 256), batch = BenchmarkOptions.Int(args, "--batch", 2);
        int checkpoint = BenchmarkOptions.Int(args, "--checkpoint", 2), dSae = BenchmarkOptions.Int(args, "--latents", 512);
        int silos = BenchmarkOptions.Int(args, "--silos", 3);
        string work = Directory.CreateTempSubdirectory("cluster-failover-").FullName;
        string modelDir = Path.Combine(work, "model"), saeDir = Path.Combine(work, "sae");
        var config = RandomClipModel.Preset("tiny");
        RandomClipModel.Write(modelDir, config, 1);
        SaeLensFolder.Write(saeDir, SparseAutoencoder.CreateRandom(new TopKSaeConfig(config.Vision.HiddenSize, dSae, 8), 1));
        string manifest = BenchCache.WorldTest(images);
        var ingestion = new Dictionary<string, string?>
        {
            ["Ingestion:BatchSize"] = batch.ToString(), ["Ingestion:CheckpointEveryBatches"] = checkpoint.ToString(),
        };
        try
        {
            var reference = Uninterrupted(Path.Combine(work, "reference"), ingestion, modelDir, saeDir, manifest, dSae);
            var cluster = LoopbackCluster.StartAsync(Path.Combine(work, "cluster"), silos, ingestion).GetAwaiter().GetResult();
            try
            {
                var http = cluster.Api.Client;
                BenchApi.Register(http, "tiny", modelDir, saeDir, 1, CorpusId, manifest);
                BenchApi.StartIngestion(http, CorpusId);
                var victim = cluster.StorageSilos[silos / 2];
                long appliedAtKill = KillMidRun(http, reference.Corpus.BatchesApplied, victim.Kill);
                var sinceKill = Stopwatch.StartNew();
                var (seconds, late) = UntilEveryLatentAnswers(http, dSae, sinceKill);
                Console.WriteLine($"killed {victim.Name} of {silos} storage silos at {appliedAtKill} of {reference.Corpus.BatchesApplied} batches; " +
                                  $"every one of {dSae} latents answered {seconds:F2} s later ({late} failed at least once before)");

                BenchApi.WaitForCompletion(http, CorpusId, Timeout, TimeSpan.FromMilliseconds(100));
                var (lost, doubled, report) = Compare(reference, Read(http, dSae));
                Console.WriteLine(report);
                Console.WriteLine($"RESULT name=cluster-failover value={seconds:F2} unit=s lost={lost} doubled={doubled}");
                return 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"{e.Message}\n{cluster.Logs}", e);
            }
            finally { cluster.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>The embedded default (one API process, SQLite) ingests the corpus without interruption; its documents.</summary>
    static Documents Uninterrupted(string data, Dictionary<string, string?> ingestion, string modelDir, string saeDir, string manifest, int dSae) =>
        BenchApi.WithEmbeddedApi("uninterrupted", data, ingestion, http =>
        {
            BenchApi.Register(http, "tiny", modelDir, saeDir, 1, CorpusId, manifest);
            BenchApi.Ingest(http, CorpusId, Timeout, TimeSpan.FromMilliseconds(100));
            return Read(http, dSae);
        });

    /// <summary>Kills once a quarter of the batches are recorded (most of the corpus still ahead); returns the batches recorded then.</summary>
    static long KillMidRun(HttpClient http, long batches, Action kill)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var view = BenchApi.Corpus(http, CorpusId);
            if (view?.Status is CorpusStatus.Completed or CorpusStatus.Failed or CorpusStatus.Cancelled)
                throw new InvalidOperationException($"ingestion ended ({view.Status}, {view.BatchesApplied} batches) before the kill; give more --images");
            if (view is not null && view.BatchesApplied >= batches / 4)
            {
                kill();
                return view.BatchesApplied;
            }
            Thread.Sleep(5);
        }
        throw new TimeoutException($"ingestion made no progress in {Timeout.TotalSeconds} s");
    }

    /// <summary>
    /// Polls every latent (8 requests in flight) until each has answered 200 once; returns the time of the last first
    /// answer and how many latents failed (503, 500 or a 5 s timeout) before they answered.
    /// </summary>
    static (double Seconds, int Late) UntilEveryLatentAnswers(HttpClient http, int dSae, Stopwatch sinceKill)
    {
        var pending = new HashSet<int>(Enumerable.Range(0, dSae));
        var failed = new ConcurrentDictionary<int, bool>();
        double last = 0;
        var gate = new object();
        while (pending.Count > 0)
        {
            if (sinceKill.Elapsed > Timeout)
                throw new TimeoutException($"{pending.Count} latents still did not answer {Timeout.TotalSeconds} s after the kill, e.g. {pending.First()}");
            var answered = new ConcurrentBag<int>();
            Parallel.ForEachAsync(pending.ToArray(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (latent, _) =>
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    using var response = await http.GetAsync($"/api/saes/sae/latents/{latent}", cancel.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        answered.Add(latent);
                        double at = sinceKill.Elapsed.TotalSeconds;
                        lock (gate) last = Math.Max(last, at);
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                failed[latent] = true;
            }).GetAwaiter().GetResult();
            pending.ExceptWith(answered);
            if (pending.Count > 0) Thread.Sleep(20);
        }
        return (last, failed.Count);
    }

    static Documents Read(HttpClient http, int dSae)
    {
        var corpus = BenchApi.Corpus(http, CorpusId) ?? throw new InvalidOperationException("the corpus answers 503 after completion");
        var totals = Get<SaeTotals>(http, "/api/saes/sae").Totals;
        var latents = Enumerable.Range(0, dSae).Select(i => Get<LatentCounts>(http, $"/api/saes/sae/latents/{i}")).ToArray();
        return new Documents(corpus, totals, latents);
    }

    static T Get<T>(HttpClient http, string url) =>
        http.GetFromJsonAsync<T>(url, BenchApi.Json).GetAwaiter().GetResult() ?? throw new InvalidOperationException($"GET {url}: null");

    /// <summary>Batches missing from / counted twice in each record against the reference; the most of either in any one record.</summary>
    static (long Lost, long Doubled, string Report) Compare(Documents want, Documents got)
    {
        long lost = 0, doubled = 0;
        void Count(long difference) { if (difference < 0) lost = Math.Max(lost, -difference); else doubled = Math.Max(doubled, difference); }
        Count(got.Corpus.BatchesApplied - want.Corpus.BatchesApplied);
        long perBatch = Math.Max(1, want.Totals.Images / Math.Max(1, want.Corpus.BatchesApplied));
        long imageDifference = got.Totals.Images - want.Totals.Images;
        Count((imageDifference + Math.Sign(imageDifference) * (perBatch - 1)) / perBatch);   // whole batches, rounded away from 0
        int differing = 0;
        for (int i = 0; i < want.Latents.Length; i++)
        {
            var (w, g) = (want.Latents[i], got.Latents[i]);
            if (w == g) continue;
            differing++;
            if (g.BatchesApplied != w.BatchesApplied) Count(g.BatchesApplied - w.BatchesApplied);
            else Count(Math.Sign(g.FiringTokens - w.FiringTokens));
        }
        string report = $"against the uninterrupted run: corpus batches {got.Corpus.BatchesApplied} vs {want.Corpus.BatchesApplied}, " +
                        $"SAE totals {got.Totals.Images} images / {got.Totals.Tokens} tokens vs {want.Totals.Images} / {want.Totals.Tokens}, " +
                        $"{differing} of {want.Latents.Length} latents differ (firing tokens or batches applied)";
        return (lost, doubled, report);
    }
}
