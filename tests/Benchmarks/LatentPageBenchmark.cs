using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Testing;

namespace Actors.Benchmarks;

/// <summary>
/// How long the dashboard's latent page takes on the embedded default: the API started as its own process exactly as
/// `dotnet run --project src/Api` starts it (its start-up demo registers the shipped world CLIP and SAE and ingests
/// --images world scenes, 1,000 by default), the admin in one investigation that lists every measured latent with a
/// note; then GET /saes/world-sae/latents/{j} for the --latents most frequent latents (100), one request at a time after
/// --warmup unrecorded ones. value is the p95 of the time to the whole HTML at the client on loopback (the server's whole
/// pipeline: authentication, grain reads, rendering); server_* are the page handler's own time from its Server-Timing
/// header. The reference images are separate requests and not counted. Target: under 300 ms.
/// </summary>
public sealed class LatentPageBenchmark : IBenchmark
{
    const string Sae = "world-sae", Corpus = "world-demo";

    public string Name => "latent-page";
    public string Description => "p95/median of the latent page's HTML on the embedded default with 1,000 world images ingested (--images, --latents 100, --warmup 10)";

    public int Run(string[] args)
    {
        int images = BenchmarkOptions.Int(args, "--images", 1000), count = BenchmarkOptions.Int(args, "--latents", 100);
        int warmup = BenchmarkOptions.Int(args, "--warmup", 10);
        string work = Directory.CreateTempSubdirectory("latent-page-").FullName;
        string models = Path.Combine(LoopbackService.RepositoryRoot(), "models");
        var settings = new Dictionary<string, string?>
        {
            ["Silo:DataFolder"] = Path.Combine(work, "data"), ["Demo:Enabled"] = "true", ["Demo:Images"] = images.ToString(),
            ["Demo:ModelPath"] = Path.Combine(models, "world-clip"), ["Demo:SaePath"] = Path.Combine(models, "world-sae"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var api = ApiProcess.StartAsync("latent-page", settings, TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
        try
        {
            var http = api.Client;
            var clock = Stopwatch.StartNew();
            var corpus = WaitForCorpus(http);
            Console.WriteLine($"embedded default: {corpus} in {clock.Elapsed.TotalSeconds:F0} s; background jobs ended before the pages: " +
                              $"{BenchApi.WaitForBackgroundJobs(http, TimeSpan.FromMinutes(5))}");
            var listing = http.GetFromJsonAsync<JsonElement>($"/api/saes/{Sae}/latents?sort=frequency&pageSize={count}").GetAwaiter().GetResult();
            int[] latents = [.. listing.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("latent").GetInt32())];
            ListInInvestigation(http, latents);

            for (int i = 0; i < warmup; i++) Measure(http, latents[i % latents.Length]);
            var measured = latents.Select(j => Measure(http, j)).ToArray();
            var total = measured.Select(m => m.TotalMs).Order().ToArray();
            var render = measured.Select(m => m.RenderMs).Order().ToArray();
            Console.WriteLine($"{measured.Length} latent pages ({measured.Average(m => m.Bytes) / 1024:F0} KiB of HTML on average): " +
                              $"whole HTML median {BenchApi.Percentile(total, 0.5):F1} ms, p95 {BenchApi.Percentile(total, 0.95):F1} ms, max {total[^1]:F1} ms; " +
                              $"page handler median {BenchApi.Percentile(render, 0.5):F1} ms, p95 {BenchApi.Percentile(render, 0.95):F1} ms");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT name=latent-page value={BenchApi.Percentile(total, 0.95):F1} unit=ms median={BenchApi.Percentile(total, 0.5):F1} server_p95={BenchApi.Percentile(render, 0.95):F1} server_median={BenchApi.Percentile(render, 0.5):F1} bound=300 ratio={BenchApi.Percentile(total, 0.95) / 300:F3}"));
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{e.Message}\n--- API ---\n{api.Log}");
            return 1;
        }
        finally
        {
            api.DisposeAsync().AsTask().GetAwaiter().GetResult();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    static string WaitForCorpus(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = http.GetAsync($"/api/corpora/{Corpus}").GetAwaiter().GetResult();
            if (response.IsSuccessStatusCode)
            {
                var view = response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult();
                string status = view.GetProperty("status").GetString()!;
                if (status == "Completed") return $"{view.GetProperty("imagesDone").GetInt64()} images of {Corpus} ingested";
                if (status is "Failed" or "Cancelled") throw new InvalidOperationException($"ingestion {status}: {view.GetProperty("error")}");
            }
            Thread.Sleep(1000);
        }
        throw new TimeoutException($"{Corpus} was not ingested within 30 minutes");
    }

    /// <summary>One investigation of the admin's listing every measured latent with a note, so each page reads and renders one.</summary>
    static void ListInInvestigation(HttpClient http, int[] latents)
    {
        var created = http.PostAsJsonAsync("/api/investigations", new { title = "latent-page benchmark" }).GetAwaiter().GetResult();
        string location = created.Headers.Location!.ToString();
        string etag = created.Headers.ETag!.Tag;
        foreach (int latent in latents)
        {
            etag = Send(http, HttpMethod.Post, $"{location}/latents", etag, new { saeId = Sae, latent }, out var view);
            string itemId = view.GetProperty("items").EnumerateArray().Last().GetProperty("itemId").GetString()!;
            etag = Send(http, HttpMethod.Post, $"{location}/items/{itemId}/notes", etag, new { markdown = $"Latent **{latent}**: a note to render." }, out _);
        }
    }

    static string Send(HttpClient http, HttpMethod method, string url, string etag, object body, out JsonElement view)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = http.SendAsync(request).GetAwaiter().GetResult();
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {text}");
        view = JsonDocument.Parse(text).RootElement;
        return response.Headers.ETag!.Tag;
    }

    static (double TotalMs, double RenderMs, int Bytes) Measure(HttpClient http, int latent)
    {
        long start = Stopwatch.GetTimestamp();
        using var response = http.GetAsync($"/saes/{Sae}/latents/{latent}").GetAwaiter().GetResult();
        byte[] html = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        double total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET latent page {latent}: {(int)response.StatusCode}");
        string timing = response.Headers.GetValues("Server-Timing").Single();
        double render = double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
        return (total, render, html.Length);
    }

}
