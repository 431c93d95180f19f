using Actors.Api.Hosting;
using Actors.Grains.Hosts;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>Free-text search over an SAE's latents, answered by a GPU host (seed 000 Eq. 2 as a query).</summary>
public static class LatentSearchApi
{
    public const int MaxTop = 100, MaxQueryLength = 200;

    public static IEndpointRouteBuilder MapLatentSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/saes/{saeId}").WithTags("Latents")
            .MapGet("/search", SearchLatents).WithName("SearchLatents")
            .WithSummary("Latents ranked by the alignment of their reference images to free text (q) embedded by the SAE's model's text tower: " +
                         "s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty), seed 000 Eq. 2; the first search of an SAE embeds its reference images");
        return app;
    }

    public static async Task<Results<Ok<LatentSearchResult>, ValidationProblem, ProblemHttpResult>> SearchLatents(
        string saeId, IGrainFactory grains, SaeDirectory saes, string? q = null, int top = 20)
    {
        if (string.IsNullOrWhiteSpace(q)) return Problems.Invalid("q", "q (the text to search for) is required");
        if (q.Length > MaxQueryLength) return Problems.Invalid("q", $"q is longer than {MaxQueryLength} characters");
        if (top < 1 || top > MaxTop) return Problems.Invalid("top", $"top must be 1..{MaxTop}");
        if (await saes.FindAsync(saeId) is null) return Problems.NotFound("SAE", saeId);
        try { return TypedResults.Ok(await ModelHost.Of(grains).SearchLatentsAsync(saeId, q.Trim(), top)); }
        catch (InvalidArtifactException e) { return Problems.Invalid(e.Field, e.Message); }
    }
}
