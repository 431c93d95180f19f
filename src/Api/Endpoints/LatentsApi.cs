using Actors.Api.Hosting;
using Actors.Grains.Blobs;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Orleans;
using Actors.Grains.Sketches;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Actors.Api.Endpoints;

/// <summary>One page of a latent listing, with the SAE's totals the frequencies were computed from.</summary>
public sealed record LatentPage(string SaeId, int Page, int PageSize, int Total, long TokensSeen, long ImagesSeen, LatentListItem[] Items);

/// <summary>
/// One latent of a listing: its statistics, the corpus class it fired most on (<paramref name="TopLabel"/>), its assigned
/// semantic label with that label's s_j (seed 000 Eq. 2) and its reference images' clarity (null until labelled), its
/// mean activation over its reference images, and its mean relevance over the images of the requested class.
/// </summary>
public sealed record LatentListItem(int Latent, double TokenFrequency, double ImageFrequency, double MeanActivation,
    double MaxActivation, double LabelEntropy, string? TopLabel, string? SemanticLabel,
    double? Alignment, double? Clarity, double ReferenceActivation, double? ClassRelevance);

public static class LatentsApi
{
    public static IEndpointRouteBuilder MapLatentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/saes/{saeId}/latents").WithTags("Latents");
        api.MapGet("/", ListLatents).WithName("ListLatents")
            .WithSummary("Latents that fired, one page at a time, sorted (latent, frequency, mean, max, entropy, alignment, clarity, " +
                         "referenceActivation, relevance) and filtered: label (assigned semantic label), topLabel (corpus class), " +
                         "high activation, low alignment (minReferenceActivation, maxAlignment: seed 000 App. C.2), " +
                         "hidden concepts (class, minRelevance, maxAlignment: Eq. 7)");
        api.MapGet("/{latent:int}", GetLatent).WithName("GetLatent")
            .WithSummary("One latent's full state: statistics, histogram, reference images, labels, analyses");
        api.MapGet("/{latent:int}/references", GetReferences).WithName("GetReferenceImages")
            .WithSummary("The latent's top reference images with their patch heatmaps, highest activation first");
        api.MapGet("/{latent:int}/references/{rank:int}/image.png", GetReferenceImage).WithName("GetReferenceImagePng")
            .WithSummary("A reference image (its stored thumbnail) as PNG; ?overlay=true draws the latent's patch heatmap on it");
        return app;
    }

    public static async Task<Results<Ok<LatentPage>, ValidationProblem, ProblemHttpResult>> ListLatents(
        string saeId, IGrainFactory grains, Hosting.ApiOptions options,
        string sort = "frequency", bool descending = true, string? label = null, double? minFrequency = null,
        double? maxEntropy = null, int page = 0, int pageSize = 50, string? topLabel = null, double? minReferenceActivation = null,
        double? maxAlignment = null, [FromQuery(Name = "class")] string? relevanceClass = null, double? minRelevance = null)
    {
        if (page < 0) return Problems.Invalid("page", "page must be ≥ 0");
        if (pageSize < 1 || pageSize > options.MaxPageSize) return Problems.Invalid("pageSize", $"pageSize must be 1..{options.MaxPageSize}");
        var filter = new LatentFilter(label, topLabel, minFrequency, maxEntropy, minReferenceActivation, maxAlignment, relevanceClass, minRelevance);
        if (!LatentFilter.SortKeys.Contains(sort)) return Problems.Invalid("sort", $"sort '{sort}' is not one of {string.Join(", ", LatentFilter.SortKeys)}");
        var sae = await grains.GetGrain<ISaeGrain>(saeId).GetAsync();
        if (sae.Record is null) return Problems.NotFound("SAE", saeId);
        if (filter.Check(sort, sae.Totals) is { } problem) return Problems.Invalid(problem.Field, problem.Message);

        var parts = await Task.WhenAll(Enumerable.Range(0, ILatentIndexGrain.Partitions)
            .Select(p => grains.GetGrain<ILatentIndexGrain>($"{saeId}/{p}").ListAsync()));
        var sorted = LatentFilter.Sort(filter.Apply(parts.SelectMany(p => p), sae.Totals), sort, descending);
        return TypedResults.Ok(new LatentPage(saeId, page, pageSize, sorted.Count, sae.Totals.Tokens, sae.Totals.Images,
            [.. sorted.Skip(page * pageSize).Take(pageSize)]));
    }

    /// <summary>The hot read: the grain's cached view, and that view's JSON serialized once (see SerializedJson).</summary>
    public static async Task<Results<JsonBytes<LatentView>, ProblemHttpResult>> GetLatent(
        string saeId, int latent, IGrainFactory grains, SaeDirectory saes, SerializedJson json)
    {
        if (await CheckLatentAsync(saeId, latent, saes) is { } problem) return problem;
        return new JsonBytes<LatentView>(json.Of(await grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, latent)).GetAsync()));
    }

    public static async Task<Results<Ok<ReferenceImage[]>, ProblemHttpResult>> GetReferences(
        string saeId, int latent, IGrainFactory grains, SaeDirectory saes)
    {
        if (await CheckLatentAsync(saeId, latent, saes) is { } problem) return problem;
        return TypedResults.Ok((await grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, latent)).GetAsync()).References);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetReferenceImage(
        string saeId, int latent, int rank, IGrainFactory grains, SaeDirectory saes, IBlobStore blobs, bool overlay = false)
    {
        if (await CheckLatentAsync(saeId, latent, saes) is { } problem) return problem;
        var references = (await grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, latent)).GetAsync()).References;
        if (rank < 0 || rank >= references.Length)
            return TypedResults.Problem(statusCode: 404, title: "Unknown reference image",
                detail: $"latent {latent} of SAE '{saeId}' has {references.Length} reference images; rank {rank} is outside 0..{references.Length - 1}");
        var reference = references[rank];
        // The heatmap is drawn on a host (image code stays off the API); the plain thumbnail is read here.
        var png = overlay && reference.HeatmapWidth > 0
            ? await ModelHost.Of(grains).DrawOverlayAsync(reference)
            : await blobs.GetAsync(reference.Image.ContentHash);
        if (png is null)
            return TypedResults.Problem(statusCode: 404, title: "Thumbnail missing",
                detail: $"the thumbnail {reference.Image.ContentHash} of image '{reference.Image.ImageId}' is not in the blob store");
        return TypedResults.File(png, "image/png");
    }

    static async Task<ProblemHttpResult?> CheckLatentAsync(string saeId, int latent, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } record) return Problems.NotFound("SAE", saeId);
        if (latent < 0 || latent >= record.DSae)
            return TypedResults.Problem(statusCode: 404, title: "Unknown latent",
                detail: $"SAE '{saeId}' has latents 0..{record.DSae - 1}; {latent} is not one of them");
        return null;
    }
}
