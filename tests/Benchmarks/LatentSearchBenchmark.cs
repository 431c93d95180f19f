using System.Diagnostics;
using System.Globalization;
using Actors.Blobs;
using Actors.GpuHost.Ingestion;
using Actors.Tensors.Backends;
using Actors.Testing;

namespace Actors.Benchmarks;

/// <summary>
/// Free-text latent search at ingest-wide's width: the API process (embedded default, SQLite) with the shipped world
/// CLIP, a random 49,152-latent top-k SAE (k 32, all tokens) and --images world test scenes ingested over HTTP; once
/// background jobs have ended, GET /api/saes/sae/search?q=… once (first=: it embeds every reference image and averages
/// each latent's), then --searches more, one at a time, cycling through a few queries. value is their p95 at the client
/// on loopback: a repeated search reads the index, re-reads only the latents that changed, and scores every latent's
/// mean reference embedding against the query.
/// Options: --images N (1000), --searches N (30), --d-sae N (49152), --k N (32), --layer L (3).
/// </summary>
public sealed class LatentSearchBenchmark : IBenchmark
{
    static readonly string[] Queries = ["water", "a red circle", "stripes", "a green square", "dots"];

    public string Name => "latent-search";
    public string Description => "p95 of GET search over a 49,152-latent SAE with 1,000 world images ingested (--images, --searches 30)";

    public int Run(string[] args)
    {
        int images = BenchmarkOptions.Int(args, "--images", 1000), searches = BenchmarkOptions.Int(args, "--searches", 30);
        int layer = BenchmarkOptions.Int(args, "--layer", 3), dSae = BenchmarkOptions.Int(args, "--d-sae", 49152), k = BenchmarkOptions.Int(args, "--k", 32);
        string modelDir = Path.Combine(LoopbackService.RepositoryRoot(), "models", "world-clip");
        int hidden = new ModelCatalog(new CpuBackend()).Load(modelDir).Model.Config.Vision.HiddenSize;
        string saeDir = BenchCache.TopKSae($"sae-world-clip-{dSae}-k{k}", hidden, dSae, k);
        string manifest = BenchCache.WorldTest(images);
        string work = Directory.CreateTempSubdirectory("latent-search-").FullName;
        try
        {
            return BenchApi.WithEmbeddedApi("latent-search", Path.Combine(work, "api"), new Dictionary<string, string?>(), http =>
            {
                BenchApi.Register(http, "world-clip", modelDir, saeDir, layer, "world", manifest);
                var (corpus, _) = BenchApi.Ingest(http, "world", TimeSpan.FromMinutes(30), TimeSpan.FromMilliseconds(100));
                int jobs = BenchApi.WaitForBackgroundJobs(http, TimeSpan.FromMinutes(10));
                double first = Search(http, Queries[0]);
                var times = Enumerable.Range(0, searches).Select(i => Search(http, Queries[i % Queries.Length])).Order().ToArray();
                Console.WriteLine($"{corpus.ImagesDone} images ingested into {dSae} latents ({jobs} jobs ended); first search {first:F0} ms; " +
                                  $"{searches} more: median {BenchApi.Percentile(times, 0.5):F1} ms, p95 {BenchApi.Percentile(times, 0.95):F1} ms, max {times[^1]:F1} ms");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT name=latent-search value={BenchApi.Percentile(times, 0.95):F1} unit=ms median={BenchApi.Percentile(times, 0.5):F1} first={first:F0}"));
                return 0;
            });
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>Milliseconds to the whole answer of one search (top 10).</summary>
    static double Search(HttpClient http, string query)
    {
        var clock = Stopwatch.StartNew();
        using var response = http.GetAsync($"/api/saes/sae/search?q={Uri.EscapeDataString(query)}&top=10").GetAwaiter().GetResult();
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        double ms = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search '{query}': {(int)response.StatusCode} {body}");
        return ms;
    }
}
