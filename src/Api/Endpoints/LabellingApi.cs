using Actors.Api.Hosting;
using Actors.GpuHost.Jobs.Labelling;
using Actors.Grains.Concepts;
using Actors.Grains.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>Label an SAE's latents against a vocabulary: s_j(t) of seed 000 Eq. 2, clarity, Logit Lens (Eq. 3).</summary>
public sealed record LabellingRequest(string? VocabularyId);

public static class LabellingApi
{
    public static IEndpointRouteBuilder MapLabellingApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/saes/{saeId}/labelling", StartLabelling).WithTags("Latents").WithName("StartLabelling")
            .WithSummary("Queue a latent-labels job: each latent's best labels by semantic alignment (Eq. 2) against the vocabulary, " +
                         "its reference images' clarity, Logit Lens (Eq. 3) and the concepts' aligned latents; 202 with the job's progress resource")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> StartLabelling(
        string saeId, LabellingRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is null) return Problems.NotFound("SAE", saeId);
        if (string.IsNullOrWhiteSpace(request.VocabularyId)) return Problems.Invalid("vocabularyId", "vocabularyId is required");
        if (await grains.GetGrain<IVocabularyGrain>(request.VocabularyId).GetAsync() is null) return Problems.NotFound("vocabulary", request.VocabularyId);
        return JobsApi.Accepted(await LatentLabellingJobs.SubmitAsync(grains, saeId, request.VocabularyId));
    }
}
