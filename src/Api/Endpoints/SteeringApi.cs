using Actors.Api.Contracts;
using Actors.Api.Hosting;
using Actors.GpuHost.Jobs.Steering;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Actors.Grains.Steering;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// Steering an SAE's latents (seed 001 Sec. 6-7): a synchronous query for a few images, and jobs for strength sweeps,
/// layer steerability and the two disentanglement tasks. Unknown SAE: 404; any bad field: 400 naming it.
/// </summary>
public static class SteeringApi
{
    public static IEndpointRouteBuilder MapSteeringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/saes/{saeId}").WithTags("Steering");
        api.MapPost("/steering", Steer).WithName("SteerImages")
            .WithSummary("Set, scale or add latents at the SAE's hook (error term kept) for up to 16 images; the vocabulary's top concepts before and after");
        api.MapPost("/steering-sweeps", StartSweep).WithName("StartSteeringSweep")
            .WithSummary("Job: a latent set to each strength; ΔP_f, S_f, D_f per strength (seed 001 Eq. 4-5, 10-11), stored on the latent");
        api.MapPost("/steerability", StartSteerability).WithName("StartSteerability")
            .WithSummary("Job: S, #S with γ, #C with β over all or a sample of latents (seed 001 Eq. 6-8), histogram plot, stored on the SAE");
        api.MapGet("/steerability", GetSteerability).WithName("GetSteerability").WithSummary("The SAE's latest steerability report");
        api.MapPost("/suppressions", StartSuppression).WithName("StartSuppression")
            .WithSummary("Job: suppress a spurious attribute's latents (seed 001 Eq. 9, Sec. 7.1); accuracy and worst-group accuracy before and after");
        api.MapPost("/typographic-defences", StartTypographicDefence).WithName("StartTypographicDefence")
            .WithSummary("Job: suppress written-word latents (seed 001 Sec. 7.2); clean and attacked accuracy and flip rate before and after");
        return app;
    }

    public static async Task<Results<Ok<SteeringAnswer>, ValidationProblem, ProblemHttpResult>> Steer(
        string saeId, SteeringRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if (request.Images is not { Length: > 0 and <= SteeringQueryRunner.MaxImages } images)
            return Problems.Invalid("images", $"give 1..{SteeringQueryRunner.MaxImages} images (a job handles more)");
        for (int i = 0; i < images.Length; i++)
        {
            if (await CheckCorpusAsync(grains, images[i]?.CorpusId, $"images[{i}].corpusId") is { } bad) return bad;
            if (string.IsNullOrEmpty(images[i].ImageId)) return Problems.Invalid($"images[{i}].imageId", "imageId is required");
        }
        var edits = request.Interventions ?? [];
        if (edits.Length > SteeringQueryRunner.MaxInterventions)
            return Problems.Invalid("interventions", $"at most {SteeringQueryRunner.MaxInterventions} interventions");
        for (int i = 0; i < edits.Length; i++)
        {
            string at = $"interventions[{i}]";
            if (edits[i]?.Latent is not { } latent || latent < 0 || latent >= sae.DSae)
                return Problems.Invalid($"{at}.latent", $"latent must be one of 0..{sae.DSae - 1} of SAE '{saeId}'");
            if (!Analysis.Steering.LatentIntervention.TryParseOp(edits[i].Op, out _))
                return Problems.Invalid($"{at}.op", $"op '{edits[i].Op}' is not one of set, scale, add");
            if (edits[i].Value is not { } value || !float.IsFinite(value))
                return Problems.Invalid($"{at}.value", "value must be a finite number");
        }
        if (await CheckVocabularyAsync(grains, request.VocabularyId, sae) is { } badVocabulary) return badVocabulary;
        int top = request.Top ?? 5;
        if (top is < 1 or > SteeringQueryRunner.MaxTop) return Problems.Invalid("top", $"top must be 1..{SteeringQueryRunner.MaxTop}");

        var query = new SteeringQuery(saeId, [.. images.Select(im => new SteeringImage(im.CorpusId!, im.ImageId!))],
            [.. edits.Select(e => new SteeringEdit(e.Latent!.Value, e.Op!.ToLowerInvariant(), e.Value!.Value))], request.VocabularyId!, top);
        try { return TypedResults.Ok(await ModelHost.Of(grains).SteerAsync(query)); }
        catch (InvalidArtifactException e) { return Problems.Invalid(e.Field, e.Message); }
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartSweep(
        string saeId, SteeringSweepRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if (request.Latent is not { } latent || latent < 0 || latent >= sae.DSae)
            return Problems.Invalid("latent", $"latent must be one of 0..{sae.DSae - 1} of SAE '{saeId}'");
        if (await CheckCorpusAsync(grains, request.CorpusId, "corpusId") is { } badCorpus) return badCorpus;
        if (await CheckVocabularyAsync(grains, request.VocabularyId, sae) is { } badVocabulary) return badVocabulary;
        var parameters = new SteeringSweepParameters(saeId, latent, request.CorpusId!, request.VocabularyId!, request.Strengths ?? [], request.MaxImages ?? 32);
        if (parameters.Problem() is { } problem) return Problems.Invalid(problem.Field, problem.Message);
        return await JobsApi.SubmitAsync(grains, SteeringSweepHandler.JobKind, parameters, $"{saeId}/{latent}");
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartSteerability(
        string saeId, SteerabilityRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        if (await CheckCorpusAsync(grains, request.CorpusId, "corpusId") is { } badCorpus) return badCorpus;
        if (await CheckVocabularyAsync(grains, request.VocabularyId, sae) is { } badVocabulary) return badVocabulary;
        if (request.Strength is not { } strength) return Problems.Invalid("strength", "strength is required (seed 001 uses 150 for its layer-11 SAE)");
        var parameters = new SteerabilityParameters(saeId, request.CorpusId!, request.VocabularyId!, strength, request.Sample,
            request.Gamma ?? 0.1, request.Beta ?? 0.5, request.Seed ?? 0, request.MaxImages ?? 8);
        if (parameters.Problem() is { } problem) return Problems.Invalid(problem.Field, problem.Message);
        return await JobsApi.SubmitAsync(grains, SteerabilityHandler.JobKind, parameters, saeId);
    }

    public static async Task<Results<Ok<SteerabilityReport>, ProblemHttpResult>> GetSteerability(string saeId, IGrainFactory grains)
    {
        var view = await grains.GetGrain<ISaeGrain>(saeId).GetAsync();
        if (view.Record is null) return Problems.NotFound("SAE", saeId);
        return view.Steerability is { } report ? TypedResults.Ok(report)
            : TypedResults.Problem(statusCode: 404, title: "No steerability report", detail: $"no steerability job has finished for SAE '{saeId}'");
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartSuppression(
        string saeId, SuppressionRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        foreach (var (id, field) in new[] { (request.AttributeCorpusId, "attributeCorpusId"), (request.ContrastCorpusId, "contrastCorpusId"), (request.EvalCorpusId, "evalCorpusId") })
            if (await CheckCorpusAsync(grains, id, field) is { } badCorpus) return badCorpus;
        if (await CheckVocabularyAsync(grains, request.VocabularyId, sae) is { } badVocabulary) return badVocabulary;
        if (request.Tau is not { } tau) return Problems.Invalid("tau", "tau (Eq. 9's threshold) is required");
        var parameters = new SuppressionParameters(saeId, request.AttributeCorpusId!, request.ContrastCorpusId!, tau, request.Lambda,
            request.EvalCorpusId!, request.VocabularyId!, request.GroupBy ?? [], request.MaxImages ?? 2_000);
        if (parameters.Problem() is { } problem) return Problems.Invalid(problem.Field, problem.Message);
        return await JobsApi.SubmitAsync(grains, SuppressionHandler.JobKind, parameters, saeId);
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartTypographicDefence(
        string saeId, TypographicDefenceRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        foreach (var (id, field) in new[] { (request.WordsCorpusId, "wordsCorpusId"), (request.CleanCorpusId, "cleanCorpusId") })
            if (await CheckCorpusAsync(grains, id, field) is { } badCorpus) return badCorpus;
        foreach (var (id, field) in new[] { (request.EvalWordsCorpusId, "evalWordsCorpusId"), (request.EvalCleanCorpusId, "evalCleanCorpusId") })
            if (id is not null && await CheckCorpusAsync(grains, id, field) is { } badCorpus) return badCorpus;
        if (await CheckVocabularyAsync(grains, request.VocabularyId, sae) is { } badVocabulary) return badVocabulary;
        if (request.Tau is not { } tau) return Problems.Invalid("tau", "tau (Eq. 9's threshold) is required");
        var parameters = new TypographicDefenceParameters(saeId, request.WordsCorpusId!, request.CleanCorpusId!, tau, request.Lambda,
            request.VocabularyId!, request.EvalWordsCorpusId, request.EvalCleanCorpusId, request.MaxImages ?? 2_000);
        if (parameters.Problem() is { } problem) return Problems.Invalid(problem.Field, problem.Message);
        return await JobsApi.SubmitAsync(grains, TypographicDefenceHandler.JobKind, parameters, saeId);
    }

    // The evaluation jobs' checks, as problems; an empty id counts as a missing one.
    static async Task<ValidationProblem?> CheckCorpusAsync(IGrainFactory grains, string? corpusId, string field) =>
        Invalid(await EvaluationChecks.CorpusAsync(grains, string.IsNullOrEmpty(corpusId) ? null : corpusId, field));

    static async Task<ValidationProblem?> CheckVocabularyAsync(IGrainFactory grains, string? vocabularyId, SaeRecord sae) =>
        Invalid(await EvaluationChecks.VocabularyAsync(grains, string.IsNullOrEmpty(vocabularyId) ? null : vocabularyId, sae));

    static ValidationProblem? Invalid((string Field, string Message)? problem) =>
        problem is { } p ? Problems.Invalid(p.Field, p.Message) : null;
}
