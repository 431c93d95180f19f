using Actors.Api.Hosting;
using Actors.Api.Identity;
using Actors.Api.Contracts;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Endpoints;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models").WithTags("Models");
        api.MapGet("/", ListModels).WithName("ListModels").WithSummary("Ids of the registered CLIP models");
        api.MapGet("/{id}", GetModel).WithName("GetModel").WithSummary("A registered model's files, shape, and MLP activation with where it came from");
        api.MapPost("/", RegisterModel).WithName("RegisterModel")
            .WithSummary("Register a CLIP model from a path on the server (its weights are loaded and checked)")
            .RequireAuthorization(ActorsClaims.AdminPolicy);
        return app;
    }

    public static async Task<Ok<string[]>> ListModels(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Model));

    public static async Task<Results<Ok<ModelRecord>, ProblemHttpResult>> GetModel(string id, IGrainFactory grains) =>
        await grains.GetGrain<IModelGrain>(id).GetAsync() is { } record
            ? TypedResults.Ok(record) : Problems.NotFound("model", id);

    public static async Task<Results<Created<ModelRecord>, ValidationProblem>> RegisterModel(
        RegisterModelRequest request, IGrainFactory grains)
    {
        if (Problems.CheckId(request.Id, "id") is { } idError) return Problems.Invalid("id", idError);
        if (string.IsNullOrWhiteSpace(request.Path)) return Problems.Invalid("path", "path is required");
        ModelRecord record;   // the host checks the stated activation (400 on "activation") before it loads anything
        try { record = await ModelHost.Of(grains).InspectModelAsync(request.Path, request.Activation); }
        catch (InvalidArtifactException e) { return Problems.Invalid(e.Field, e.Message); }
        await grains.GetGrain<IModelGrain>(request.Id).RegisterAsync(record);
        await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Model, request.Id);
        return TypedResults.Created($"/api/models/{request.Id}", record);
    }
}
