using Actors.Api.Endpoints;
using Actors.Grains.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>Jobs, newest first, optionally of one kind and status (the filters of GET /api/jobs).</summary>
internal static class JobsPage
{
    public static async Task<IResult> RenderAsync(HttpContext http, IGrainFactory grains, string? kind = null, string? status = null)
    {
        var page = PageRequest.Of(http);
        kind = string.IsNullOrWhiteSpace(kind) ? null : kind;
        status = string.IsNullOrWhiteSpace(status) ? null : status;
        var listed = await JobsApi.ListJobs(grains, kind, status);
        string jobs = listed.Result is Ok<JobSummary[]> ok ? Table(ok.Value!)
            : $"<p role=\"alert\">status '{Html.E(status)}' is not one of {Html.E(string.Join(", ", Enum.GetNames<JobStatus>()).ToLowerInvariant())}</p>";
        string body = $"""
            <h1>Jobs</h1>
            <section aria-labelledby="list"><h2 id="list">Jobs, newest first</h2>
            <form class="filters" method="get" action="/jobs">
              <label>Kind <input name="kind" value="{Html.E(kind)}"></label>
              <div class="field"><label for="status">Status</label><select id="status" name="status"><option value="">any</option>{string.Concat(Enum.GetValues<JobStatus>().Select(s =>
                  $"<option{(string.Equals(status, s.ToString(), StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{Html.Name(s)}</option>"))}</select></div>
              <button type="submit">Apply</button>
            </form>
            {jobs}</section>
            """;
        return PageLayout.Page(page, "Jobs", [new("Overview", "/"), new("Jobs")], body);
    }

    public static string Table(IEnumerable<JobSummary> jobs) => Html.Table("Jobs", ["Job", "Kind", "Subject", "Status", "Submitted"],
        jobs.Select(j => new[]
        {
            $"<a href=\"/jobs/{Html.Seg(j.JobId)}\">{Html.E(j.JobId)}</a>", Html.E(j.Kind), Html.E(j.Subject ?? "–"),
            $"<span class=\"status-{Html.Name(j.Status)}\">{Html.Name(j.Status)}</span>", Html.When(j.SubmittedAt),
        }), "No jobs yet.");
}
