using Actors.Grains.Registry;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// A CLIP model loaded once per process, with the preprocessing its folder describes and its weights as read (the
/// backward passes of attribution read the vision weights host-side).
/// </summary>
public sealed record LoadedModel(string Path, ClipModel Model, ClipPreprocessor Preprocessor, ClipWeights Weights)
{
    /// <summary>
    /// A vision tower of the caller's own over the shared weights: a <see cref="ClipVisionModel"/> reuses its buffers
    /// across calls, and ingestion runs the catalog's instance meanwhile. On the CPU backend this wraps the weight
    /// arrays without copying them.
    /// </summary>
    public ClipVisionModel NewVision() => new(Model.Backend, Weights.Config, Weights.Vision);
}

/// <summary>
/// Loads CLIP models by path and stated MLP activation and keeps them (weights are large; every ingestion job and
/// query of one model shares one copy; the same files under another activation are another model). Loading checks
/// every tensor's name and shape; a failure names the file and the tensor.
/// </summary>
/// <param name="loaded">Told each model once, when it has loaded (a host warms it up: <see cref="LoadedModelWarmUp"/>).</param>
public sealed class ModelCatalog(IComputeBackend backend, Action<LoadedModel>? loaded = null)
{
    readonly LoadOnce<LoadedModel> models = new();

    /// <param name="activation">The MLP activation the registration stated (a transformers hidden_act name), or null
    /// for what the folder says (ClipActivationResolver). An unknown name is a <see cref="FormatException"/>.</param>
    public LoadedModel Load(string path, string? activation = null)
    {
        string full = ArtifactLoadException.Wrap(path, () => System.IO.Path.GetFullPath(path));
        var stated = activation is null ? (ActivationKind?)null : ClipConfig.ParseActivation(activation);
        return models.Get($"{full}|{stated}", () => LoadUncached(full, stated));
    }

    /// <summary>The model a registry record describes, with the activation it was registered with.</summary>
    public LoadedModel Load(ModelRecord record) => Load(record.Path, record.Activation);

    /// <summary>Loads (and so checks) the model and describes it for the registry, activation and its source included.</summary>
    public ModelRecord Inspect(string path, string? activation = null)
    {
        var loaded = Load(path, activation);
        var v = loaded.Model.Config.Vision;
        return new ModelRecord(loaded.Path, loaded.Model.Vision.Layers, v.HiddenSize, v.Tokens, v.ImageSize, v.PatchSize,
            loaded.Model.Config.ProjectionDim, activation is null ? null : ClipConfig.ActivationName(ClipConfig.ParseActivation(activation)),
            loaded.Weights.ActivationSource);
    }

    LoadedModel LoadUncached(string path, ActivationKind? activation) => ArtifactLoadException.Wrap(path, () =>
    {
        var weights = ClipCheckpoint.Load(path, activation: activation);
        var model = new ClipModel(backend, weights);
        string folder = Directory.Exists(path) ? path : System.IO.Path.GetDirectoryName(path)!;
        string preprocessorConfig = System.IO.Path.Combine(folder, "preprocessor_config.json");
        var preprocessor = File.Exists(preprocessorConfig)
            ? ClipPreprocessor.FromPreprocessorConfig(preprocessorConfig)
            : new ClipPreprocessor(model.Config.Vision.ImageSize);
        if (preprocessor.CropHeight != model.Config.Vision.ImageSize || preprocessor.CropWidth != model.Config.Vision.ImageSize)
            throw new InvalidDataException($"preprocessor crops {preprocessor.CropWidth}×{preprocessor.CropHeight} but the model takes {model.Config.Vision.ImageSize} px");
        var result = new LoadedModel(path, model, preprocessor, weights);
        loaded?.Invoke(result);
        return result;
    });
}
