using Actors.Api.Contracts;
using Actors.Api.Hosting;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>Instance-wise attribution of one image and prompt to an SAE's latents, answered synchronously by a host.</summary>
public static class AttributionsApi
{
    const int DefaultTop = 20;

    public static IEndpointRouteBuilder MapAttributionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/saes/{saeId}/attributions", AttributeImage).WithTags("Attributions").WithName("AttributeImage")
            .WithSummary("Relevance of every active latent for one image (ingested, or base64 PNG/JPEG within the request size limit) " +
                         "and one prompt: Act×Grad (Eq. 5 / Eq. 31, bias and error terms apart) and the Sec. 5.1 baselines, " +
                         "each latent with its reference-image links and its patch heatmap on this image")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<Results<Ok<AttributionResponse>, ValidationProblem, ProblemHttpResult>> AttributeImage(
        string saeId, AttributeImageRequest request, IGrainFactory grains, SaeDirectory saes)
    {
        if (await saes.FindAsync(saeId) is not { } sae) return Problems.NotFound("SAE", saeId);
        var image = ReadImage(request.Image, out var imageError);
        if (imageError is { } ie) return Problems.Invalid(ie.Field, ie.Message);
        if (string.IsNullOrWhiteSpace(request.Prompt) == string.IsNullOrWhiteSpace(request.Concept))
            return Problems.Invalid("prompt", "give exactly one of prompt (a text) and concept (\"{vocabulary}/{concept}\")");
        if (request.Methods?.FirstOrDefault(m => !AttributionMethods.All.Contains(m)) is { } unknown)
            return Problems.Invalid("methods", $"method '{unknown}' is not one of {string.Join(", ", AttributionMethods.All)}");
        if (request.Top is < 1) return Problems.Invalid("top", $"top must be at least 1, not {request.Top}");

        float[]? embedding = null;
        if (request.Concept is { } concept)
        {
            var (found, invalid, missing) = await ConceptEmbeddingAsync(concept, sae.ModelId, grains);
            if (invalid is not null) return invalid;
            if (missing is not null) return missing;
            embedding = found;
        }
        var hostRequest = new ImageAttributionRequest(saeId, image!, embedding is null ? request.Prompt : null, embedding,
            request.Methods ?? [], request.Top ?? DefaultTop, request.Seed ?? 0);
        ImageAttributionResult result;
        try { result = await ModelHost.Of(grains).AttributeAsync(hostRequest); }
        catch (RejectedRequestException e) when (e.NotFound) { return TypedResults.Problem(statusCode: 404, title: $"Unknown {e.Field}", detail: e.Message); }
        catch (RejectedRequestException e) { return Problems.Invalid(e.Field, e.Message); }

        var echo = new AttributedImage(image!.CorpusId, image.ImageId, image.Bytes?.Length);
        return TypedResults.Ok(new AttributionResponse(saeId, sae.ModelId, result.Hook, echo, request.Concept is null ? request.Prompt : null,
            request.Concept, result.Score, result.ActiveLatents, result.HeatmapWidth, result.HeatmapNote,
            await AttributionLinks.MethodsAsync(saeId, result, grains), result.Skipped));
    }

    /// <summary>The host's form of the image, or the field at fault and why.</summary>
    static AttributionImage? ReadImage(ImageInput? input, out (string Field, string Message)? error)
    {
        error = null;
        bool byRef = input?.CorpusId is not null || input?.ImageId is not null, byBytes = input?.Base64 is not null;
        if (input is null || byRef == byBytes)
        {
            error = ("image", "give the image as {corpusId, imageId} of an ingested image or as {base64} PNG/JPEG bytes, not both");
            return null;
        }
        if (byRef)
        {
            if (string.IsNullOrWhiteSpace(input.CorpusId)) error = ("image.corpusId", "corpusId is required with imageId");
            else if (string.IsNullOrWhiteSpace(input.ImageId)) error = ("image.imageId", "imageId is required with corpusId");
            return error is null ? new AttributionImage(input.CorpusId, input.ImageId, null) : null;
        }
        string text = input.Base64!;
        if (text.StartsWith("data:", StringComparison.Ordinal) && text.IndexOf(',') is > 0 and var comma) text = text[(comma + 1)..];
        try
        {
            var bytes = Convert.FromBase64String(text);
            if (bytes.Length == 0) error = ("image.base64", "the image is empty");
            return error is null ? new AttributionImage(null, null, bytes) : null;
        }
        catch (FormatException)
        {
            error = ("image.base64", "base64 is not valid base64");
            return null;
        }
    }

    /// <summary>t of a "{vocabulary}/{concept}" prompt, checked to be embedded by the SAE's model.</summary>
    static async Task<(float[]? Embedding, ValidationProblem? Invalid, ProblemHttpResult? Missing)> ConceptEmbeddingAsync(
        string concept, string modelId, IGrainFactory grains)
    {
        int slash = concept.IndexOf('/');
        if (slash <= 0 || slash == concept.Length - 1)
            return (null, Problems.Invalid("concept", $"concept '{concept}' is not of the form '{{vocabulary}}/{{concept}}'"), null);
        var vocabulary = await grains.GetGrain<IVocabularyGrain>(concept[..slash]).GetAsync();
        var view = await grains.GetGrain<IConceptGrain>(concept).GetAsync();
        if (vocabulary is null || view.Text is null || view.Embedding.Length == 0) return (null, null, Problems.NotFound("concept", concept));
        if (vocabulary.ModelId != modelId)
            return (null, Problems.Invalid("concept", $"concept '{concept}' was embedded by model '{vocabulary.ModelId}'; the SAE reads model '{modelId}'"), null);
        return (view.Embedding, null, null);
    }
}
