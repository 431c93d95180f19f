using Actors.Grains.Blobs;
using Actors.Grains.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// Jobs: ingestions and long analyses (evaluations, sweeps, retraining) that run on a GPU host and report progress. The
/// routes that start one belong to their resource (e.g. an SAE's evaluations, a corpus's ingestion) and answer 202 with
/// the job's progress resource (an ingestion: with the corpus's, which names the job).
/// </summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs");
        api.MapGet("/", ListJobs).WithName("ListJobs").WithSummary("Jobs, newest first, optionally of one kind and status");
        api.MapGet("/{id}", GetJob).WithName("GetJob")
            .WithSummary("A job's status, progress (done of total, stage, latest figures), result and error: its progress resource");
        api.MapGet("/{id}/plot", GetJobPlot).WithName("GetJobPlot").WithSummary("The PNG plot of a finished job's result")
            .Produces(StatusCodes.Status200OK, contentType: "image/png");
        api.MapPost("/{id}/cancel", CancelJob).WithName("CancelJob")
            .WithSummary("Cancel a job: a queued one at once, a running one at its next heartbeat");
        return app;
    }

    public static async Task<Results<Ok<JobSummary[]>, ValidationProblem>> ListJobs(IGrainFactory grains, string? kind = null, string? status = null)
    {
        JobStatus? parsed = null;
        if (status is not null)
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                return Problems.Invalid("status", $"status '{status}' is not one of {string.Join(", ", Enum.GetNames<JobStatus>()).ToLowerInvariant()}");
            parsed = s;
        }
        return TypedResults.Ok(await grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListAsync(kind, parsed));
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetJob(string id, IGrainFactory grains) =>
        await grains.GetGrain<IJobGrain>(id).GetAsync() is { } view ? TypedResults.Ok(view) : UnknownJob(id);

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetJobPlot(string id, IGrainFactory grains, IBlobStore blobs)
    {
        var view = await grains.GetGrain<IJobGrain>(id).GetAsync();
        if (view is null) return UnknownJob(id);
        if (view.PlotHash is not { } hash)
            return TypedResults.Problem(statusCode: 404, title: "No plot",
                detail: $"job '{id}' ({view.Kind}) is {view.Status.ToString().ToLowerInvariant()} and has no plot");
        var png = await blobs.GetAsync(hash);
        return png is null
            ? TypedResults.Problem(statusCode: 404, title: "Plot missing", detail: $"job '{id}': its plot is not in the blob store")
            : TypedResults.File(png, "image/png");
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> CancelJob(string id, IGrainFactory grains)
    {
        var job = grains.GetGrain<IJobGrain>(id);
        if (await job.GetAsync() is null) return UnknownJob(id);
        return TypedResults.Ok(await job.CancelAsync());
    }

    /// <summary>
    /// Queues a job and wakes a host for it (if none is up, the hosts' scan finds it later); 202 with the job's
    /// progress resource.
    /// </summary>
    public static async Task<Accepted<JobView>> SubmitAsync(IGrainFactory grains, string kind, object parameters, string? subject) =>
        Accepted(await Actors.GpuHost.Jobs.JobSubmission.SubmitAsync(grains, kind, parameters, subject));

    /// <summary>202 with the job's progress resource.</summary>
    public static Accepted<JobView> Accepted(JobView view) => TypedResults.Accepted($"/api/jobs/{view.JobId}", view);

    static ProblemHttpResult UnknownJob(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown job", detail: $"no job '{id}' exists");
}
