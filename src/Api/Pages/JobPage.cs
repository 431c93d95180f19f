using System.Text.Json;
using Actors.Grains.Hosts;
using Actors.Grains.Jobs;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>
/// One job, live: dashboard.js polls GET /api/jobs/{id} every second until it ends (status, progress, stage, latest
/// figures, result, error) and shows /api/jobs/{id}/plot once the job has one.
/// </summary>
internal static class JobPage
{
    public static async Task<IResult> RenderAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var page = PageRequest.Of(http);
        if (await grains.GetGrain<IJobGrain>(id).GetAsync() is not { } job) return PageLayout.Problem(page, 404, "Unknown job", $"no job '{id}' exists");
        string plot = $"/api/jobs/{Html.Seg(id)}/plot";
        string metrics = string.Join(", ", job.Progress.Metrics.Select(m => $"{Html.E(m.Key)} {Html.Num(m.Value)}"));
        string body = $"""
            <h1>Job {Html.E(id)} <small>{Html.E(job.Kind)}{(job.Subject is null ? "" : $" of {Subject(job)}")}</small></h1>
            <section aria-labelledby="progress-heading" data-poll="/api/jobs/{Html.Seg(id)}" data-poll-kind="job">
            <h2 id="progress-heading">Progress</h2>
            <p>Status: <strong data-field="status" class="status-{Html.Name(job.Status)}">{Html.Name(job.Status)}</strong></p>
            <label for="progress">Progress of the current stage</label>
            <progress id="progress" max="{Math.Max(job.Progress.Total, 1)}" value="{(job.Status == JobStatus.Succeeded ? Math.Max(job.Progress.Total, 1) : job.Progress.Done)}"></progress>
            <dl class="stats">
            <div><dt>Done</dt><dd><span data-field="done">{Html.Int(job.Progress.Done)}</span> of <span data-field="total">{Html.Int(job.Progress.Total)}</span></dd></div>
            <div><dt>Stage</dt><dd data-field="stage">{Html.E(job.Progress.Stage ?? "–")}</dd></div>
            <div><dt>Latest figures</dt><dd data-field="metrics">{(metrics.Length == 0 ? "–" : metrics)}</dd></div>
            <div><dt>Submitted</dt><dd>{Html.When(job.SubmittedAt)}</dd></div>
            <div><dt>Started</dt><dd>{Html.When(job.StartedAt)}</dd></div>
            <div><dt>Ended</dt><dd>{Html.When(job.EndedAt)}</dd></div>
            <div><dt>Attempts</dt><dd>{job.Attempts}</dd></div>
            <div><dt>Host</dt><dd>{Html.E(job.Host ?? "–")}</dd></div>
            <div><dt>Error</dt><dd data-field="error">{Html.E(job.Error ?? "–")}</dd></div>
            </dl>
            <figure class="plot"><img data-plot="{plot}" alt="Plot of job {Html.E(id)}'s result"{(job.PlotHash is null ? " hidden" : $" src=\"{plot}\"")}></figure>
            <h3>Result</h3><pre data-field="result">{Html.E(Pretty(job.Result) ?? "none yet")}</pre>
            </section>
            <section aria-labelledby="parameters"><h2 id="parameters">Parameters</h2><pre>{Html.E(Pretty(job.Parameters))}</pre></section>
            """;
        return PageLayout.Page(page, $"Job {id}", [new("Overview", "/"), new("Jobs", "/jobs"), new(id)], body);
    }

    /// <summary>An ingestion's subject is its corpus, linked to the corpus's page; other subjects as text.</summary>
    static string Subject(JobView job) => job.Kind == IngestionRequest.JobKind
        ? $"<a href=\"/corpora/{Html.Seg(job.Subject!)}\">{Html.E(job.Subject)}</a>" : Html.E(job.Subject);

    static string? Pretty(string? json)
    {
        if (json is null) return null;
        try { return JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true }); }
        catch (JsonException) { return json; }
    }
}
