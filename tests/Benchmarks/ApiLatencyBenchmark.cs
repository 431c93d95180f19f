using System.Diagnostics;
using System.Globalization;
using Actors.Testing;
using System.Net;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Clip;
using Actors.World;

namespace Actors.Benchmarks;

/// <summary>
/// p50/p99 latency of GET one latent under an open-loop load (requests sent on a fixed schedule, latency measured
/// from the scheduled send time, so a slow server cannot hide behind a slowed client) against the API running as
/// its own process on loopback, after a small world corpus was ingested through a tiny CLIP and SAE.
/// Options: --rate N (2000 req/s), --seconds N (30), --server-cpus LIST (taskset CPU list for the API process; run
/// the benchmark itself under `taskset -c` on the other CPUs so the load generator does not take the server's
/// cores, as a remote client would not), --server-setting Key=Value (repeatable: configuration of the API process,
/// e.g. Api:InlineScheduling=true), --series FILE (each GET latent's send time and latency, as CSV), --warmup N (5 s at the same rate, not recorded: the server
/// is measured in its steady state, after its hot paths are tier-1 JIT code, as a long-running service runs),
/// --health-rate N (100 req/s: GET /health interleaved into the same open-loop schedule and measured the same way; a
/// route that touches no grain, so its p99 shows what the machine — a stolen CPU, a GC — adds to every request).
/// Target p99 ≤ 5 ms.
/// </summary>
public sealed class ApiLatencyBenchmark : IBenchmark
{
    public string Name => "api-latency";
    public string Description => "p50/p99 of GET latent (and p99 of GET /health beside it) under an open-loop 2,000 req/s for 30 s on loopback (--rate, --seconds)";

    public int Run(string[] args)
    {
        int rate = BenchmarkOptions.Int(args, "--rate", 2000), seconds = BenchmarkOptions.Int(args, "--seconds", 30);
        int warmup = BenchmarkOptions.Int(args, "--warmup", 5), healthRate = BenchmarkOptions.Int(args, "--health-rate", 100);
        string? serverCpus = BenchmarkOptions.Text(args, "--server-cpus");
        string? series = BenchmarkOptions.Text(args, "--series");
        string work = Directory.CreateTempSubdirectory("api-latency-").FullName;
        string modelDir = Path.Combine(work, "model"), saeDir = Path.Combine(work, "sae");
        var config = RandomClipModel.Preset("tiny");
        RandomClipModel.Write(modelDir, config, 1);
        const int dSae = 512;
        SaeLensFolder.Write(saeDir, SparseAutoencoder.CreateRandom(new TopKSaeConfig(config.Vision.HiddenSize, dSae, 8), 1));
        string manifest = WorldWriter.Write(Path.Combine(work, "corpus"), WorldSplit.Test, 256, 3);

        var settings = new Dictionary<string, string?>
        {
            ["Silo:DataFolder"] = Path.Combine(work, "data"), ["Demo:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var setting in BenchmarkOptions.All(args, "--server-setting"))   // e.g. Api:InlineScheduling=true
            settings[setting.Split('=', 2) is [var key, var value] ? key : throw new ArgumentException($"--server-setting {setting}: expected Key=Value")] = value;
        var api = ApiProcess.StartAsync("api-latency", settings, TimeSpan.FromSeconds(30), serverCpus).GetAwaiter().GetResult();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            { BaseAddress = api.Client.BaseAddress };
        http.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Admin);   // every request is authenticated, as users' are
        try
        {
            BenchApi.Register(http, "tiny", modelDir, saeDir, 1, "world", manifest);
            // Measure a served corpus, not one still being ingested.
            BenchApi.Ingest(http, "world", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(250));
            Console.WriteLine($"background jobs ended before the load: {BenchApi.WaitForBackgroundJobs(http, TimeSpan.FromMinutes(5))}");

            // Warm-up: activate the latent grains and JIT the path, then run the load unrecorded.
            Task.WhenAll(Enumerable.Range(0, dSae).Select(i => http.GetAsync($"/api/saes/sae/latents/{i}"))).GetAwaiter().GetResult();
            bool spin = serverCpus is not null;
            if (warmup > 0) Load(http, rate, healthRate, warmup, dSae, spin);
            var stealBefore = CpuSteal.Read();
            var (latencies, health) = Load(http, rate, healthRate, seconds, dSae, spin);
            var steal = CpuSteal.Since(stealBefore);
            if (series is not null)   // "scheduled send time (s), latency (ms)" per request: shows whether slow requests cluster
                File.WriteAllLines(series, latencies.Select((ms, i) => string.Create(CultureInfo.InvariantCulture, $"{(double)i / rate:F4},{ms:F3}")));
            // The tail in time: stalls come in episodes of seconds (measured: GC pauses stayed under 7 ms in runs with a
            // p99 of 30 ms), and a run whose p99 is set by one episode reads differently from one slow throughout.
            Console.WriteLine("p99 per 5 s of the schedule: " + string.Join(" ", latencies.Chunk(5 * rate)
                .Select(w => BenchApi.Percentile([.. w.Order()], 0.99).ToString("F1", CultureInfo.InvariantCulture))) + " ms");
            latencies.Sort();
            health.Sort();
            Console.WriteLine($"{latencies.Count} GET latent at {rate}/s for {seconds} s: p50 {BenchApi.Percentile(latencies, 0.5):F2} ms, p90 {BenchApi.Percentile(latencies, 0.9):F2} ms, " +
                              $"p99 {BenchApi.Percentile(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms");
            if (health.Count > 0)
                Console.WriteLine($"{health.Count} GET /health at {healthRate}/s in the same schedule: p50 {BenchApi.Percentile(health, 0.5):F2} ms, p99 {BenchApi.Percentile(health, 0.99):F2} ms, max {health[^1]:F2} ms");
            // Time the hypervisor ran something else on this machine's virtual CPUs: a shared VM's tail latency follows it.
            if (steal is { } share) Console.WriteLine($"cpu steal during the load: {share:P1}");
            Console.WriteLine($"RESULT name=api-latency value={BenchApi.Percentile(latencies, 0.99):F2} unit=ms health_p99={BenchApi.Percentile(health, 0.99):F2}");
            return 0;
        }
        finally
        {
            api.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Sends GET latent i at start + i/rate and GET /health j at start + j/healthRate (one open-loop schedule, each
    /// request sent at its time whichever the kind) and records completion − scheduled time in ms, per kind.
    /// </summary>
    /// <param name="spin">Wait for each send time by yielding in a loop (exact schedule, and the client's response
    /// handling still gets its CPU; only when the server has CPUs of its own)
    /// instead of sleeping 1 ms at a time (sends in ≈ 1 ms bursts, which adds up to a millisecond to every latency).</param>
    static (List<double> Latents, List<double> Health) Load(HttpClient http, int rate, int healthRate, int seconds, int dSae, bool spin)
    {
        int total = rate * seconds, healthTotal = healthRate * seconds;
        var latencies = new double[total];
        var health = new double[healthTotal];
        // Completed requests are counted, not kept: holding every request's task grows the client's heap through
        // the run, and the garbage collections that promotes it pause the client at the same points in every run.
        using var finished = new CountdownEvent(total + healthTotal);
        Exception? failure = null;
        Action<Exception> fail = e => Interlocked.CompareExchange(ref failure, e, null);
        var rng = new Random(1);
        var clock = Stopwatch.StartNew();
        for (int i = 0, h = 0; i < total || h < healthTotal;)
        {
            bool isHealth = h < healthTotal && (i == total || (double)h / healthRate < (double)i / rate);
            double due = isHealth ? (double)h / healthRate : (double)i / rate;
            // Unless the server runs on CPUs of its own, sleep until due (sending what fell due meanwhile as a burst): a
            // spinning sender would take one of the machine's two cores from the server it measures. Latency still
            // counts from the scheduled time.
            while (clock.Elapsed.TotalSeconds < due)
                if (spin) Thread.Yield(); else Thread.Sleep(1);
            if (isHealth) _ = Send(http, "/health", clock, due, health, h++, finished, fail);
            else _ = Send(http, $"/api/saes/sae/latents/{rng.Next(dSae)}", clock, due, latencies, i++, finished, fail);
        }
        finished.Wait();
        if (failure is not null) throw new InvalidOperationException("a request of the load failed", failure);
        return ([.. latencies], [.. health]);
    }

    static async Task Send(HttpClient http, string url, Stopwatch clock, double due, double[] latencies, int at,
        CountdownEvent finished, Action<Exception> fail)
    {
        try
        {
            using var response = await http.GetAsync(url);
            await response.Content.LoadIntoBufferAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode}");
            latencies[at] = (clock.Elapsed.TotalSeconds - due) * 1000;
        }
        catch (Exception e) { fail(e); }
        finally { finished.Signal(); }
    }
}
