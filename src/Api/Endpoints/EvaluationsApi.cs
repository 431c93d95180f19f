using Actors.Api.Contracts;
using Actors.Api.Hosting;
using Actors.GpuHost.Jobs.Evaluations;
using Actors.Grains.Evaluations;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// An SAE's evaluations (seed 000 Sec. 5.1, 5.3, App. B.2, D; seed 002 Sec. 4): each POST checks its request and queues
/// a job (202, its progress resource at /api/jobs/{id}, the result as JSON there and as a PNG at /api/jobs/{id}/plot).
/// Failure detections are kept per class: GET failure-modes?class=.
/// </summary>
public static class EvaluationsApi
{
    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/saes/{saeId}").WithTags("Evaluations");
        api.MapPost("/evaluations/faithfulness", StartFaithfulness).WithName("StartFaithfulness")
            .WithSummary("Deletion (local, global, random references) and insertion curves with AUC ± SEM of six attribution methods (seed 000 Sec. 5.1, App. B.2)");
        api.MapPost("/evaluations/failure-detection", StartFailureDetection).WithName("StartFailureDetection")
            .WithSummary("Latents a class relies on unexpectedly (Eq. 8) and hidden concepts (Eq. 7); stored per class and on each flagged latent");
        api.MapPost("/evaluations/probing", StartProbing).WithName("StartProbing")
            .WithSummary("Spurious and valid AUC of the class prompt, the templated prompt and a linear probe for each flagged failure mode (seed 000 Sec. 5.3, App. D.2)");
        api.MapPost("/evaluations/masking", StartMasking).WithName("StartMasking")
            .WithSummary("Zero-shot accuracy with only (or all but) the class's top-k latents decoded, against random and dataset-level k (seed 002 Sec. 4.1)");
        api.MapPost("/evaluations/shared-sae", StartSharedSae).WithName("StartSharedSae")
            .WithSummary("High / high-to-low / low-to-high latents per class of one SAE on two backbones (seed 002 Sec. 4.2)");
        api.MapGet("/failure-modes", GetFailureModes).WithName("GetFailureModes")
            .WithSummary("The latest failure detection of one class (?class=): flagged latents with their images and z-scores, hidden concepts");
        return app;
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartFaithfulness(
        string saeId, FaithfulnessRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if ((await EvaluationChecks.CorpusAsync(grains, request.CorpusId, "corpusId") ?? await EvaluationChecks.VocabularyAsync(grains, request.VocabularyId, sae)
            ?? EvaluationChecks.MaxImages(request.MaxImages, 9)
            ?? EvaluationChecks.MaxImages(request.RandomReferences, 1, "randomReferences")) is { } error) return Problems.Invalid(error.Field, error.Message);
        var p = new FaithfulnessParameters(saeId, request.CorpusId!, request.VocabularyId!);
        return await JobsApi.SubmitAsync(grains, EvaluationKinds.Faithfulness, p with
        {
            MaxImages = request.MaxImages ?? p.MaxImages, Seed = request.Seed ?? p.Seed, RandomReferences = request.RandomReferences ?? p.RandomReferences,
        }, saeId);
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartFailureDetection(
        string saeId, FailureDetectionRequest r, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if ((await DetectionErrorAsync(grains, sae, r.CorpusId, r.VocabularyId, r.ClassLabel, r.ReferenceCorpusId, r.MaxImages)
            ?? EvaluationChecks.Thresholds(r.ScoreMargin, r.ZThreshold, r.MinSamples, r.RelevanceThreshold, r.AlignmentThreshold)) is { } error)
            return Problems.Invalid(error.Field, error.Message);
        var d = new FailureDetectionParameters(saeId, r.CorpusId!, r.VocabularyId!, r.ClassLabel!);
        return await JobsApi.SubmitAsync(grains, EvaluationKinds.FailureDetection, d with
        {
            ReferenceCorpusId = r.ReferenceCorpusId, MaxImages = r.MaxImages ?? d.MaxImages, Seed = r.Seed ?? d.Seed,
            ScoreMargin = r.ScoreMargin ?? d.ScoreMargin, ZThreshold = r.ZThreshold ?? d.ZThreshold, MinSamples = r.MinSamples ?? d.MinSamples,
            RelevanceThreshold = r.RelevanceThreshold ?? d.RelevanceThreshold, AlignmentThreshold = r.AlignmentThreshold ?? d.AlignmentThreshold,
        }, saeId);
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartProbing(
        string saeId, ProbingRequest r, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if ((await DetectionErrorAsync(grains, sae, r.CorpusId, r.VocabularyId, r.ClassLabel, r.ReferenceCorpusId, r.MaxImages)
            ?? EvaluationChecks.Thresholds(r.ScoreMargin, r.ZThreshold, r.MinSamples)) is { } error)
            return Problems.Invalid(error.Field, error.Message);
        var p = new ProbingParameters(saeId, r.CorpusId!, r.VocabularyId!, r.ClassLabel!);
        return await JobsApi.SubmitAsync(grains, EvaluationKinds.Probing, p with
        {
            ReferenceCorpusId = r.ReferenceCorpusId, MaxImages = r.MaxImages ?? p.MaxImages, Seed = r.Seed ?? p.Seed,
            ScoreMargin = r.ScoreMargin ?? p.ScoreMargin, ZThreshold = r.ZThreshold ?? p.ZThreshold, MinSamples = r.MinSamples ?? p.MinSamples,
        }, saeId);
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartMasking(
        string saeId, MaskingRequest r, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if ((await EvaluationChecks.CorpusAsync(grains, r.CorpusId, "corpusId") ?? await EvaluationChecks.VocabularyAsync(grains, r.VocabularyId, sae)
            ?? await EvaluationChecks.CorpusAsync(grains, r.ReferenceCorpusId, "referenceCorpusId", required: false)
            ?? EvaluationChecks.Ks(r.Ks, sae.DSae) ?? EvaluationChecks.MaxImages(r.MaxImages, 1) ?? EvaluationChecks.Threshold(r.Threshold)) is { } error)
            return Problems.Invalid(error.Field, error.Message);
        var p = new MaskingParameters(saeId, r.CorpusId!, r.VocabularyId!, r.ReferenceCorpusId, r.Ks);
        return await JobsApi.SubmitAsync(grains, EvaluationKinds.Masking,
            p with { MaxImages = r.MaxImages ?? p.MaxImages, Seed = r.Seed ?? p.Seed, Threshold = r.Threshold ?? p.Threshold }, saeId);
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartSharedSae(
        string saeId, SharedSaeRequest r, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if ((await EvaluationChecks.OtherSaeAsync(grains, saeId, sae, r.OtherSaeId) ?? await EvaluationChecks.CorpusAsync(grains, r.CorpusId, "corpusId")
            ?? EvaluationChecks.MaxImages(r.MaxImages, 1) ?? EvaluationChecks.Threshold(r.Threshold) ?? Ranks(r.UpperRank, r.LowerRank)) is { } error)
            return Problems.Invalid(error.Field, error.Message);
        var p = new SharedSaeParameters(saeId, r.OtherSaeId!, r.CorpusId!);
        return await JobsApi.SubmitAsync(grains, EvaluationKinds.SharedSae, p with
        {
            MaxImages = r.MaxImages ?? p.MaxImages, Seed = r.Seed ?? p.Seed, UpperRank = r.UpperRank ?? p.UpperRank,
            LowerRank = r.LowerRank ?? p.LowerRank, Threshold = r.Threshold ?? p.Threshold,
        }, saeId);
    }

    public static async Task<Results<Ok<ClassFailureModes>, ValidationProblem, ProblemHttpResult>> GetFailureModes(
        string saeId, IGrainFactory grains, SaeDirectory saes, [FromQuery(Name = "class")] string? classLabel = null)
    {
        if (await saes.FindAsync(saeId) is null) return Problems.NotFound("SAE", saeId);
        if (string.IsNullOrWhiteSpace(classLabel)) return Problems.Invalid("class", "class is required: the class label whose failure modes to show");
        return await grains.GetGrain<IFailureModesGrain>(IFailureModesGrain.KeyOf(saeId, classLabel)).GetAsync() is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(statusCode: 404, title: "No failure detection",
                detail: $"no failure-detection job has finished for class '{classLabel}' of SAE '{saeId}'");
    }

    static async Task<(string Field, string Message)?> DetectionErrorAsync(IGrainFactory grains, SaeRecord sae, string? corpusId, string? vocabularyId,
        string? classLabel, string? referenceCorpusId, int? maxImages) =>
        await EvaluationChecks.CorpusAsync(grains, corpusId, "corpusId")
        ?? await EvaluationChecks.VocabularyAsync(grains, vocabularyId, sae, classLabel, checkClass: true)
        ?? await EvaluationChecks.CorpusAsync(grains, referenceCorpusId, "referenceCorpusId", required: false)
        ?? EvaluationChecks.MaxImages(maxImages, 2);

    static (string Field, string Message)? Ranks(int? upper, int? lower)
    {
        int u = upper ?? 50, l = lower ?? 100;
        if (u < 1) return ("upperRank", "upperRank must be ≥ 1");
        return l < u ? ("lowerRank", $"lowerRank ({l}) must be ≥ upperRank ({u})") : null;
    }
}
