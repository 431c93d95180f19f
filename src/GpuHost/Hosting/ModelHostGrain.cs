using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Blobs;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Actors.GpuHost.Hosting;

/// <summary>
/// The model work of clients that hold no weights (the API): checking a CLIP model or an SAE before it is registered,
/// embedding concept texts, drawing a reference image's heatmap, attributing an image (<see cref="ImageAttribution"/>).
/// A stateless worker, so each host silo asked answers from its own catalogs, which keep every loaded model once per
/// process (ingestion shares them). A load that fails is the caller's artifact's fault and leaves as
/// <see cref="InvalidArtifactException"/>.
/// </summary>
[StatelessWorker]
[GrainType("model-host")]
public sealed class ModelHostGrain(ModelCatalog models, SaeCatalog saes, ConceptEncoder encoder, IBlobStore blobs,
    ImageAttribution attribution) : Grain, IModelHostGrain
{
    public Task<ModelRecord> InspectModelAsync(string path, string? activation = null)
    {
        CheckActivation(activation);
        return Task.FromResult(Load("path", () => models.Inspect(path, activation)));
    }

    public Task<SaeCheckpoint> InspectSaeAsync(string path, string? release, int? k)
    {
        if (release is not null && !SaeCatalog.Releases.Contains(release))
            throw new InvalidArtifactException("release", $"release '{release}' is not one of {string.Join(", ", SaeCatalog.Releases)}");
        var sae = Load("path", () => saes.Load(path, release, k));
        var hook = sae.Config.Hook is { } h ? new HookSpec(h.Layer, h.Tokens.ToString().ToLowerInvariant(), h.HookName) : null;
        return Task.FromResult(new SaeCheckpoint(Path.GetFullPath(path), sae.DIn, sae.DSae,
            sae.Config.Architecture.ToString().ToLowerInvariant(), hook));
    }

    public Task<float[][]> EmbedConceptsAsync(string modelPath, string[] concepts, string? activation = null)
    {
        CheckActivation(activation);
        return Task.FromResult(Load("modelPath", () => encoder.Embed(models.Load(modelPath, activation), concepts)));
    }

    public async Task<byte[]?> DrawOverlayAsync(ReferenceImage reference)
    {
        var png = await blobs.GetAsync(reference.Image.ContentHash);
        if (png is null || reference.HeatmapWidth == 0) return png;
        var image = ImageCodec.Decode(png, reference.Image.ImageId);
        return ImageCodec.EncodePng(HeatmapOverlay.Render(image, reference.Heatmap, reference.HeatmapWidth));
    }

    // Resolved here rather than injected, so the constructor other host features extend stays as it is.
    public Task<Actors.Grains.Steering.SteeringAnswer> SteerAsync(Actors.Grains.Steering.SteeringQuery query) =>
        ServiceProvider.GetRequiredService<Actors.GpuHost.Jobs.Steering.SteeringQueryRunner>().RunAsync(query);

    public Task<LatentSearchResult> SearchLatentsAsync(string saeId, string text, int top) =>
        ServiceProvider.GetRequiredService<Actors.GpuHost.Search.LatentSearchIndex>().SearchAsync(saeId, text, top, CancellationToken.None);

    /// <summary>A stated activation must be one of transformers' hidden_act names CLIP uses.</summary>
    static void CheckActivation(string? activation)
    {
        try { if (activation is not null) ClipConfig.ParseActivation(activation); }
        catch (FormatException e) { throw new InvalidArtifactException("activation", e.Message); }
    }

    /// <summary>Runs a catalog load; its <see cref="ArtifactLoadException"/> becomes the contract's exception about <paramref name="argument"/>.</summary>
    static T Load<T>(string argument, Func<T> load)
    {
        try { return load(); }
        catch (ArtifactLoadException e) { throw new InvalidArtifactException(argument, e.Message); }
    }

    public Task<ImageAttributionResult> AttributeAsync(ImageAttributionRequest request) => attribution.RunAsync(request);
}
