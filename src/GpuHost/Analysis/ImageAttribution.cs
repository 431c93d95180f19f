using Actors.GpuHost.Ingestion;
using Actors.Grains.Hosts;
using Actors.Vision.Imaging;
using Orleans;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// Runs an <see cref="ImageAttributionRequest"/> on this host: the SAE's model and weights (<see cref="AnalysisTarget"/>),
/// the image decoded and preprocessed with the model's preprocessor (as ingestion does), the prompt embedded by the
/// model's text tower, then every requested method on one shared forward and decomposition (seed 000 Eq. 1, 5;
/// Sec. 5.1), with the listed latents' patch heatmaps on this image. Input it cannot use is a
/// <see cref="RejectedRequestException"/> naming the field.
/// </summary>
public sealed class ImageAttribution(IGrainFactory grains, ModelCatalog models, SaeCatalog saes, PromptEncoder prompts, CorpusImages corpora)
{
    public async Task<ImageAttributionResult> RunAsync(ImageAttributionRequest request, CancellationToken ct = default)
    {
        if (request.Top < 1) throw new RejectedRequestException("top", $"top must be at least 1, not {request.Top}");
        if (request.Methods.FirstOrDefault(m => !AttributionMethods.All.Contains(m)) is { } unknown)
            throw new RejectedRequestException("methods", $"method '{unknown}' is not one of {string.Join(", ", AttributionMethods.All)}");
        if ((request.Text is null) == (request.TextEmbedding is null))
            throw new RejectedRequestException("prompt", "give exactly one of a prompt text and a text embedding");
        AnalysisTarget target;
        try { target = await AnalysisTarget.LoadAsync(grains, models, saes, request.SaeId); }
        catch (KeyNotFoundException e) { throw new RejectedRequestException("saeId", e.Message, notFound: true); }

        var explicitMethods = request.Methods.Length > 0;
        var methods = (explicitMethods ? request.Methods.Distinct() : AttributionMethods.All).ToList();
        var skipped = new List<SkippedMethod>();
        foreach (var method in methods.ToList())
        {
            if (RelevanceMethods.Unsupported(method, target) is not { } reason) continue;
            if (explicitMethods) throw new RejectedRequestException("methods", $"method '{method}': {reason}");
            skipped.Add(new SkippedMethod(method, reason));
            methods.Remove(method);
        }

        var pixels = Preprocess(await ReadImageAsync(request.Image, ct), target.Model.Preprocessor);
        var text = request.TextEmbedding ?? prompts.Embed(target.Model, [request.Text!])[0];
        if (text.Length != target.ModelRecord.ProjectionDim)
            throw new RejectedRequestException("prompt", $"the text embedding has {text.Length} values; model '{target.Record.ModelId}' embeds in {target.ModelRecord.ProjectionDim}");
        // The forward and backward passes are seconds of CPU: off the grain scheduler's threads.
        return await Task.Run(() => Attribute(target, pixels, text, methods, skipped, request), ct);
    }

    static ImageAttributionResult Attribute(AnalysisTarget target, float[] pixels, float[] text, List<string> methods,
        List<SkippedMethod> skipped, ImageAttributionRequest request)
    {
        var input = target.Attributor().Prepare(pixels, text);
        var results = methods.Select(m =>
        {
            var r = RelevanceMethods.Create(m, target, request.Seed).Attribute(input);
            return new MethodAttribution(m, r.Method, r.Score,
                [.. r.Latents.Take(request.Top).Select(l => new AttributedLatent(l.Latent, l.Activation, l.Relevance))],
                r.Latents.Count, r.Latents.Sum(l => l.Relevance), r.Bias, r.Error, r.Baseline);
        }).ToArray();
        var d = input.Decomposition;
        var (width, note) = LatentPatchMaps.Grid(target.Hook, d.RowCount);
        var heatmaps = LatentPatchMaps.Of(d, target.Hook, results.SelectMany(r => r.Latents).Select(l => l.Latent));
        int active = d.Activations.Indices.Where((_, e) => d.Activations.Values[e] > 0).Distinct().Count();
        return new ImageAttributionResult(target.Hook.HookName, input.AtImage.Score, active, results, [.. skipped], width, heatmaps, note);
    }

    async Task<(byte[] Bytes, string Name)> ReadImageAsync(AttributionImage image, CancellationToken ct)
    {
        if (image.Bytes is { } bytes) return (bytes, "the uploaded image");
        if (image.CorpusId is null || image.ImageId is null)
            throw new RejectedRequestException("image", "give the image's bytes or its corpusId and imageId");
        var (source, item) = await corpora.FindAsync(image.CorpusId, image.ImageId);
        if (source is null) throw new RejectedRequestException("image.corpusId", $"no corpus '{image.CorpusId}' is registered", notFound: true);
        if (item is null) throw new RejectedRequestException("image.imageId", $"corpus '{image.CorpusId}' lists no image '{image.ImageId}'", notFound: true);
        try { return (await CorpusImages.ReadAsync(item, ct), $"{image.CorpusId}/{image.ImageId}"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            throw new RejectedRequestException("image.imageId", $"image '{image.ImageId}' of corpus '{image.CorpusId}' cannot be read: {e.Message}");
        }
    }

    static float[] Preprocess((byte[] Bytes, string Name) image, ClipPreprocessor preprocessor)
    {
        RgbImage decoded;
        try { decoded = ImageCodec.Decode(image.Bytes, image.Name); }
        catch (ImageDecodeException e) { throw new RejectedRequestException("image", e.Message); }
        var pixels = new float[preprocessor.FloatsPerImage];
        preprocessor.Preprocess(decoded, pixels);
        return pixels;
    }
}
