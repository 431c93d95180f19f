using System.Text.Json;
using Actors.Api.Contracts;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Blobs;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// Retraining an SAE as a new version: the request becomes a "sae-retraining" job on a GPU host (202 with its progress
/// resource /api/jobs/{id}), whose result names the new SAE; the new version's lineage (parent, version, latent
/// mapping with match scores) is read here.
/// </summary>
public static class RetrainingApi
{
    public static IEndpointRouteBuilder MapRetrainingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/saes").WithTags("SAEs");
        api.MapPost("/{saeId}/retraining", RetrainSae).WithName("RetrainSae")
            .WithSummary("Retrain an SAE as a new version (architecture, width, k, layer, tokens, corpora, steps, seed): 202 with the job's progress resource");
        api.MapGet("/{saeId}/lineage", GetLineage).WithName("GetSaeLineage")
            .WithSummary("A retrained SAE's parent, version and latent mapping to the parent {newLatent, oldLatent, score}");
        return app;
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> RetrainSae(
        string saeId, RetrainSaeRequest request, IGrainFactory grains)
    {
        var parent = await grains.GetGrain<ISaeGrain>(saeId).GetAsync();
        if (parent.Record is not { } record) return Problems.NotFound("SAE", saeId);
        if (await grains.GetGrain<IModelGrain>(record.ModelId).GetAsync() is not { } model)
            return Problems.Invalid("saeId", $"the model '{record.ModelId}' of SAE '{saeId}' is no longer registered");
        var resolved = await RetrainingRequestResolver.ResolveAsync(saeId, request, parent, model, grains);
        if (resolved.Error is { } error) return Problems.Invalid(error.Field, error.Message);
        var p = resolved.Parameters!;
        if ((await grains.GetGrain<ISaeGrain>(p.NewSaeId).GetAsync()).Record is not null)
            return Problems.Conflict($"an SAE '{p.NewSaeId}' is already registered; name the new version with newSaeId");
        return await JobsApi.SubmitAsync(grains, SaeRetrainingParameters.Kind, p, saeId);
    }

    public static async Task<Results<Ok<LineageDocument>, ProblemHttpResult>> GetLineage(string saeId, IGrainFactory grains, IBlobStore blobs)
    {
        var view = await grains.GetGrain<ISaeGrain>(saeId).GetAsync();
        if (view.Record is null) return Problems.NotFound("SAE", saeId);
        if (view.Lineage is not { MappingHash: { } hash })
            return TypedResults.Problem(statusCode: 404, title: "No lineage", detail: $"SAE '{saeId}' was registered, not retrained: it is version 1 and has no parent");
        var json = await blobs.GetAsync(hash);
        return json is null
            ? TypedResults.Problem(statusCode: 404, title: "Mapping missing", detail: $"SAE '{saeId}': its latent mapping is not in the blob store")
            : TypedResults.Ok(JsonSerializer.Deserialize<LineageDocument>(json, LatentLineage.Json)!);
    }
}
