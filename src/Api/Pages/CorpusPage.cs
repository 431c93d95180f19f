using Actors.Grains.Registry;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>
/// A corpus and its ingestion, live: dashboard.js polls GET /api/corpora/{id} every second and moves the progress bar
/// (the running ingestion's batch position, which runs ahead of the checkpointed image count shown beside it), and links
/// the ingestion's job (its attempts, host, and the cancel route are there).
/// </summary>
internal static class CorpusPage
{
    const int FailedShown = 50;

    public static async Task<IResult> RenderAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var page = PageRequest.Of(http);
        var c = await grains.GetGrain<ICorpusGrain>(id).GetAsync();
        if (c.Source is null) return PageLayout.Problem(page, 404, "Unknown corpus", $"no corpus '{id}' is registered");
        bool live = c.Status == CorpusStatus.Ingesting && c.BatchesTotal > 0;
        long done = c.Status == CorpusStatus.Completed ? Math.Max(c.ImagesTotal, 1) : live ? c.BatchesProcessed : c.ImagesDone;
        long total = Math.Max(live ? c.BatchesTotal : c.ImagesTotal, 1);
        string body = $"""
            <h1>Corpus {Html.E(id)}</h1>
            <section aria-labelledby="ingestion" data-poll="/api/corpora/{Html.Seg(id)}" data-poll-kind="corpus"><h2 id="ingestion">Ingestion</h2>
            <p>Status: <strong data-field="status" class="status-{Html.Name(c.Status)}">{Html.Name(c.Status)}</strong>{JobLink(c.JobId)}</p>
            <label for="progress">Progress</label>
            <progress id="progress" max="{total}" value="{Math.Min(done, total)}"></progress>
            <dl class="stats">
            <div><dt>Batches processed</dt><dd><span data-field="batchesProcessed">{Html.Int(c.BatchesProcessed)}</span> of <span data-field="batchesTotal">{Html.Int(c.BatchesTotal)}</span></dd></div>
            <div><dt>Images checkpointed</dt><dd><span data-field="imagesDone">{Html.Int(c.ImagesDone)}</span> of <span data-field="imagesTotal">{Html.Int(c.ImagesTotal)}</span></dd></div>
            <div><dt>Images per second</dt><dd data-field="imagesPerSecond">{Html.Num(c.ImagesPerSecond, "0.0")}</dd></div>
            <div><dt>Unreadable files</dt><dd data-field="failedFiles">{Html.Int(c.FailedFiles.Length)}</dd></div>
            </dl>
            {(c.Error is null ? "" : $"<p role=\"alert\">Error: {Html.E(c.Error)}</p>")}
            </section>
            <section aria-labelledby="source"><h2 id="source">Source</h2><dl class="stats">
            <div><dt>Kind</dt><dd>{Html.E(c.Source.Kind)}</dd></div>
            <div><dt>Path</dt><dd>{Html.E(c.Source.Path)}</dd></div>
            <div><dt>SAE</dt><dd>{(c.SaeId is null ? "–" : $"<a href=\"/saes/{Html.Seg(c.SaeId)}/latents\">{Html.E(c.SaeId)}</a>")}</dd></div>
            <div><dt>Vocabulary</dt><dd>{Html.E(c.VocabularyId ?? "–")}</dd></div>
            </dl>
            <p class="muted">Time per stage: {Html.E(c.Stages.Total > 0 ? c.Stages.Shares() : "none recorded yet")}</p></section>
            <section aria-labelledby="failed"><h2 id="failed">Files that could not be read</h2>
            {Html.Table($"The first {FailedShown} of {c.FailedFiles.Length}", ["File", "Reason"],
                c.FailedFiles.Take(FailedShown).Select(f => new[] { Html.E(f.Path), Html.E(f.Reason) }), "Every file so far could be read.")}</section>
            """;
        return PageLayout.Page(page, $"Corpus {id}", [new("Overview", "/"), new($"Corpus {id}")], body);
    }

    /// <summary>" (job …)" linking the corpus's ingestion job, or nothing before its first start.</summary>
    public static string JobLink(string? jobId) => jobId is null ? "" : $" (job <a href=\"/jobs/{Html.Seg(jobId)}\">{Html.E(jobId)}</a>)";
}
