using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;

namespace Actors.Api.Tests.Fixtures;

/// <summary>JSON as the API writes it (web defaults); enums read whether written as names or numbers.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return JsonSerializer.Deserialize<T>(body, Options)
            ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} returned null");
    }

    public static async Task<T> GetAsync<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).ReadAsync<T>();

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Options);

    /// <summary>A fixture's setup request: anything but success stops the setup, naming the request and the answer.</summary>
    public static async Task ExpectSetupAsync(this Task<HttpResponseMessage> request)
    {
        var response = await request;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"setup failed: {response.RequestMessage?.RequestUri} {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Polls a corpus until it completes; fails naming the last state if it fails or the time runs out. A 503 (a
    /// cluster moving a dead silo's grains) is polled again, as a client would.
    /// </summary>
    public static async Task<CorpusView> WaitForCompletionAsync(this HttpClient client, string corpusId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CorpusView view = null!;
        do
        {
            var response = await client.GetAsync($"/api/corpora/{corpusId}");
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable) { await Task.Delay(100); continue; }
            view = await ReadAsync<CorpusView>(response);
            if (view.Status == CorpusStatus.Completed) return view;
            Assert.False(view.Status is CorpusStatus.Failed or CorpusStatus.Cancelled, $"ingestion of corpus '{corpusId}' {view.Status}: {view.Error}");
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"corpus '{corpusId}' not completed after {timeout.TotalSeconds} s: status {view?.Status}, " +
                                   $"{view?.BatchesApplied} batches, {view?.ImagesDone}/{view?.ImagesTotal} images");
    }

    /// <summary>Polls a job until it has ended (succeeded, failed or cancelled); a 503 is polled again.</summary>
    public static async Task<JobView> WaitForJobAsync(this HttpClient client, string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JobView? view = null;
        do
        {
            var response = await client.GetAsync($"/api/jobs/{jobId}");
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable) { await Task.Delay(100); continue; }
            view = await ReadAsync<JobView>(response);
            if (view.Status.IsEnded()) return view;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"job '{jobId}' not ended after {timeout.TotalSeconds} s: {view?.Status}, {view?.Progress.Done} of {view?.Progress.Total} ({view?.Progress.Stage})");
    }

    /// <summary>
    /// Polls the jobs of a kind until at least <paramref name="atLeast"/> exist and none is queued or running (jobs
    /// that registrations and ingestions submit by themselves, e.g. latent labelling, then no longer write).
    /// </summary>
    public static async Task<JobSummary[]> WaitForJobsAsync(this HttpClient client, string kind, int atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JobSummary[] jobs = [];
        do
        {
            var response = await client.GetAsync($"/api/jobs?kind={kind}");
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable) { await Task.Delay(100); continue; }
            jobs = await ReadAsync<JobSummary[]>(response);
            if (jobs.Length >= atLeast && jobs.All(j => j.Status.IsEnded())) return jobs;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{kind} jobs after {timeout.TotalSeconds} s: {string.Join(", ", jobs.Select(j => $"{j.JobId} {j.Status}"))} (want ≥ {atLeast}, all ended)");
    }
}
