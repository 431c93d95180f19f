using Actors.Api.Identity;
using Actors.Api.Contracts;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Endpoints;

public static class SaesApi
{
    public static IEndpointRouteBuilder MapSaesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/saes").WithTags("SAEs");
        api.MapGet("/", ListSaes).WithName("ListSaes").WithSummary("Ids of the registered SAEs");
        api.MapGet("/{id}", GetSae).WithName("GetSae").WithSummary("An SAE's record, corpora and ingestion totals");
        api.MapPost("/", RegisterSae).WithName("RegisterSae")
            .WithSummary("Register an SAE from a path on the server (SAELens folder), on a registered model")
            .RequireAuthorization(ActorsClaims.AdminPolicy);
        return app;
    }

    public static async Task<Ok<string[]>> ListSaes(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Sae));

    public static async Task<Results<Ok<SaeView>, ProblemHttpResult>> GetSae(string id, IGrainFactory grains)
    {
        var view = await grains.GetGrain<ISaeGrain>(id).GetAsync();
        return view.Record is null ? Problems.NotFound("SAE", id) : TypedResults.Ok(view);
    }

    public static async Task<Results<Created<SaeRecord>, ValidationProblem, ProblemHttpResult>> RegisterSae(
        RegisterSaeRequest request, IGrainFactory grains, Hosting.SaeDirectory directory)
    {
        if (Problems.CheckId(request.Id, "id") is { } idError) return Problems.Invalid("id", idError);
        if (string.IsNullOrWhiteSpace(request.Path)) return Problems.Invalid("path", "path is required");
        if (request.Tokens is { } t && t is not ("all" or "cls" or "patches"))
            return Problems.Invalid("tokens", $"tokens '{t}' is not one of all, cls, patches");
        if (string.IsNullOrWhiteSpace(request.ModelId)) return Problems.Invalid("modelId", "modelId is required");
        if (await grains.GetGrain<IModelGrain>(request.ModelId).GetAsync() is not { } model)
            return Problems.Invalid("modelId", $"no model '{request.ModelId}' is registered");

        SaeCheckpoint sae;
        try { sae = await grains.GetGrain<IModelHostGrain>(IModelHostGrain.Key).InspectSaeAsync(request.Path, request.Release, request.K); }
        catch (InvalidArtifactException e) { return Problems.Invalid(e.Field, e.Message); }
        if (sae.DIn != model.VisionWidth)
            return Problems.Invalid("path", $"the SAE reads d_in {sae.DIn} but model '{request.ModelId}' has width {model.VisionWidth}");

        int layer = request.Layer ?? sae.Hook?.Layer ?? model.VisionLayers - 1;
        if (layer < 0 || layer >= model.VisionLayers)
            return Problems.Invalid("layer", $"layer {layer} is outside 0..{model.VisionLayers - 1} of model '{request.ModelId}'");
        string tokens = request.Tokens ?? sae.Hook?.Tokens ?? "all";
        var record = new SaeRecord(request.ModelId!, new HookSpec(layer, tokens), sae.DSae, sae.Architecture, sae.WeightsPath,
            request.Release, request.K);
        await grains.GetGrain<ISaeGrain>(request.Id).RegisterAsync(record);
        directory.Forget(request.Id);
        await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Sae, request.Id);
        return TypedResults.Created($"/api/saes/{request.Id}", record);
    }
}
