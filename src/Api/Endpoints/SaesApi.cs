using Actors.Api.Hosting;
using Actors.Api.Identity;
using Actors.Api.Contracts;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Actors.Sae;
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
        try { sae = await ModelHost.Of(grains).InspectSaeAsync(request.Path, request.Release, request.K); }
        catch (InvalidArtifactException e) { return Problems.Invalid(e.Field, e.Message); }
        var (hook, field, error) = ChooseHook(request, sae, model);
        if (hook is null) return Problems.Invalid(field, error);
        var record = new SaeRecord(request.ModelId!, hook, sae.DSae, sae.Architecture, sae.WeightsPath, request.Release, request.K);
        await grains.GetGrain<ISaeGrain>(request.Id).RegisterAsync(record);
        directory.Forget(request.Id);
        await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Sae, request.Id);
        return TypedResults.Created($"/api/saes/{request.Id}", record);
    }

    /// <summary>
    /// The hook the SAE reads: the request's hook, layer and tokens over those its config names. The image embedding
    /// is one row of projection_dim values per image after the whole tower (layer −1, tokens "cls"), so another layer
    /// or token selection beside it contradicts it; a residual hook reads the model's width after one of its blocks.
    /// On a contradiction, returns no hook and the field at fault.
    /// </summary>
    static (HookSpec? Hook, string Field, string Error) ChooseHook(RegisterSaeRequest request, SaeCheckpoint sae, ModelRecord model)
    {
        string? name = request.Hook ?? sae.Hook?.Name;
        if (name == HookSpec.ImageEmbeds)
        {
            if (request.Layer is { } l && l != -1)
                return (null, "layer", $"hook '{name}' is the image embedding after the whole tower: layer must be -1 or omitted, not {l}");
            if (request.Tokens is { } t && t != "cls")
                return (null, "tokens", $"hook '{name}' has one row per image: tokens must be cls or omitted, not '{t}'");
            if (sae.DIn != model.ProjectionDim)
                return (null, "path", $"the SAE reads d_in {sae.DIn} but the image embedding of model '{request.ModelId}' has {model.ProjectionDim} values");
            return (new HookSpec(-1, "cls", name), "", "");
        }
        if (sae.DIn != model.VisionWidth)
            return (null, "path", $"the SAE reads d_in {sae.DIn} but model '{request.ModelId}' has width {model.VisionWidth}");
        // A residual hook's name may carry its block ("blocks.7.hook_resid_post"); a stated layer must agree with it.
        int? named = request.Hook is null ? null : SaeHookSpec.FromName(request.Hook).Layer;
        if (named < 0) named = null;
        if (request.Layer is { } stated && named is { } block && stated != block)
            return (null, "layer", $"layer {stated} contradicts hook '{request.Hook}', which names block {block}");
        int layer = request.Layer ?? named ?? sae.Hook?.Layer ?? model.VisionLayers - 1;
        if (layer < 0 || layer >= model.VisionLayers)
            return (null, "layer", $"layer {layer} is outside 0..{model.VisionLayers - 1} of model '{request.ModelId}'" +
                                   (layer == -1 ? $" (the image embedding is hook '{HookSpec.ImageEmbeds}')" : ""));
        // The config's name describes the config's layer only: a layer stated over it leaves the hook unnamed.
        if (request.Hook is null && layer != sae.Hook?.Layer) name = null;
        return (new HookSpec(layer, request.Tokens ?? sae.Hook?.Tokens ?? "all", name), "", "");
    }
}
