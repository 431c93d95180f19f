using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Grains.Registry;
using Actors.Testing;

namespace Actors.Benchmarks;

/// <summary>
/// What a benchmark does as a user of the REST API: register a model, an SAE on it and a manifest corpus, start the
/// ingestion, and poll GET /api/corpora/{id} until it completes.
/// </summary>
public static class BenchApi
{
    /// <summary>JSON as the API writes it (web defaults, enums as names).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Runs <paramref name="step"/> against the embedded default as its own process (Api.dll: one silo that is storage
    /// and GPU host, SQLite in <paramref name="data"/>) with <paramref name="settings"/> added, then stops it; a failure
    /// carries the process's last output.
    /// </summary>
    public static T WithEmbeddedApi<T>(string name, string data, IReadOnlyDictionary<string, string?> settings, Func<HttpClient, T> step)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Silo:DataFolder"] = data, ["Demo:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning",
        };
        var api = ApiProcess.StartAsync(name, all, TimeSpan.FromSeconds(90)).GetAwaiter().GetResult();
        try { return step(api.Client); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- {api.Name} ---\n{api.Log}", e);
        }
        finally { api.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    /// <summary>Registers model <paramref name="modelId"/>, SAE "sae" on its <paramref name="layer"/> (all tokens) and
    /// corpus <paramref name="corpusId"/>; the ingestion is started by <see cref="StartIngestion"/>.</summary>
    public static void Register(HttpClient http, string modelId, string modelPath, string saePath, int layer, string corpusId, string manifest)
    {
        Post(http, "/api/models", new { id = modelId, path = modelPath });
        Post(http, "/api/saes", new { id = "sae", modelId, path = saePath, layer, tokens = "all" });
        RegisterCorpus(http, corpusId, manifest);
    }

    /// <summary>Registers the manifest corpus <paramref name="corpusId"/>.</summary>
    public static void RegisterCorpus(HttpClient http, string corpusId, string manifest) =>
        Post(http, "/api/corpora", new { id = corpusId, kind = "manifest", path = manifest });

    public static void StartIngestion(HttpClient http, string corpusId) => Post(http, $"/api/corpora/{corpusId}/ingestion", new { saeId = "sae" });

    /// <summary>
    /// Starts the ingestion of <paramref name="corpusId"/> into SAE "sae" and waits for it (<see cref="WaitForCompletion"/>).
    /// The seconds run from the POST until its job's recorded end (GET /api/jobs/{id}: EndedAt, on this machine's clock),
    /// which comes after the corpus shows completed; so they do not depend on how often the corpus is polled, and a
    /// benchmark can poll rarely: each poll takes CPU from the server it measures (≈ 1.3 ms between the two processes;
    /// perf of ingest-wide polling every 20 ms: 0.65 core-s of a 2-core machine in a 12 s ingestion).
    /// </summary>
    /// <param name="phases">Given, told what each poll saw (<see cref="IngestionPhases"/>).</param>
    public static (CorpusView View, double Seconds) Ingest(HttpClient http, string corpusId, TimeSpan timeout, TimeSpan poll,
        IngestionPhases? phases = null)
    {
        var posted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        StartIngestion(http, corpusId);
        var view = WaitForCompletion(http, corpusId, timeout, poll, v => phases?.Observe(v, clock.Elapsed.TotalSeconds));
        if (view.JobId is null) throw new InvalidOperationException($"completed corpus '{corpusId}' names no ingestion job");
        return (view, (JobEnd(http, view.JobId, timeout) - posted).TotalSeconds);
    }

    /// <summary>When job <paramref name="jobId"/> ended, waiting for it to end (an ingestion's job ends just after its corpus completes).</summary>
    public static DateTimeOffset JobEnd(HttpClient http, string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var job = JsonDocument.Parse(http.GetStringAsync($"/api/jobs/{jobId}").GetAwaiter().GetResult());
            if (job.RootElement.TryGetProperty("endedAt", out var ended) && ended.ValueKind == JsonValueKind.String) return ended.GetDateTimeOffset();
            Thread.Sleep(10);
        }
        throw new TimeoutException($"job '{jobId}' not ended after {timeout.TotalSeconds} s");
    }

    public static void Post(HttpClient http, string url, object body)
    {
        using var response = http.PostAsJsonAsync(url, body).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }

    /// <summary>The <paramref name="q"/> quantile of ascending values (NaN when there are none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, q * sorted.Count)];

    /// <summary>The corpus's view; null while the API answers 503 (a cluster moving a dead silo's grains).</summary>
    public static CorpusView? Corpus(HttpClient http, string corpusId)
    {
        using var response = http.GetAsync($"/api/corpora/{corpusId}").GetAwaiter().GetResult();
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return null;
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET /api/corpora/{corpusId}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<CorpusView>(body, Json)!;
    }

    /// <summary>
    /// Waits until no job is queued or running (e.g. the latent labelling an ingestion queues when it completes), so a
    /// measurement of queries does not share the API's CPU with a background analysis; returns how many ran.
    /// </summary>
    public static int WaitForBackgroundJobs(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Thread.Sleep(1000);   // a completed ingestion queues its labelling within a moment
        while (DateTime.UtcNow < deadline)
        {
            var jobs = JsonDocument.Parse(http.GetStringAsync("/api/jobs").GetAwaiter().GetResult()).RootElement.EnumerateArray().ToList();
            if (jobs.All(j => j.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled")) return jobs.Count;
            Thread.Sleep(250);
        }
        throw new TimeoutException($"background jobs still running after {timeout.TotalSeconds} s");
    }

    /// <summary>Polls the corpus every <paramref name="poll"/> until it completes (the job may not have started at the first look).</summary>
    /// <param name="observe">Told each view a poll returns.</param>
    public static CorpusView WaitForCompletion(HttpClient http, string corpusId, TimeSpan timeout, TimeSpan poll,
        Action<CorpusView>? observe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (CorpusView? view = null; DateTime.UtcNow < deadline; Thread.Sleep(poll))
        {
            view = Corpus(http, corpusId) ?? view;
            if (view is not null) observe?.Invoke(view);
            if (view?.Status == CorpusStatus.Completed) return view;
            if (view?.Status is CorpusStatus.Failed or CorpusStatus.Cancelled)
                throw new InvalidOperationException($"ingestion of corpus '{corpusId}' {view.Status}: {view.Error}");
        }
        throw new TimeoutException($"corpus '{corpusId}' not completed after {timeout.TotalSeconds} s");
    }
}

/// <summary>
/// Where an ingestion's seconds went, as its polls saw it (seconds since its POST; NaN where no poll saw the moment):
/// the first batch through the model and sketched (start-up: loading, compiling the path), and every batch so (the
/// rest of the model stage); after that only the last checkpoint's delivery and the completion remain.
/// </summary>
public sealed class IngestionPhases
{
    public double FirstBatch { get; private set; } = double.NaN;
    public double AllBatches { get; private set; } = double.NaN;
    public double Completed { get; private set; } = double.NaN;

    public void Observe(CorpusView view, double seconds)
    {
        if (double.IsNaN(FirstBatch) && view.BatchesProcessed > 0) FirstBatch = seconds;
        if (double.IsNaN(AllBatches) && view.BatchesTotal > 0 && view.BatchesProcessed >= view.BatchesTotal) AllBatches = seconds;
        if (double.IsNaN(Completed) && view.Status == CorpusStatus.Completed) Completed = seconds;
    }

    /// <summary>"first batch a s, all batches b s, then c s to completion" for a run of <paramref name="total"/> seconds.</summary>
    public string Describe(double total) =>
        $"first batch processed after {FirstBatch:F2} s, the rest of the batches in {AllBatches - FirstBatch:F2} s, " +
        $"then {total - AllBatches:F2} s to completion (the last checkpoint's delivery; a poll saw it completed at {Completed:F2} s)";
}
