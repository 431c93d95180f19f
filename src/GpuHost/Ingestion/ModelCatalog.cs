using Actors.Grains.Registry;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Tensors.Backends;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// A CLIP model loaded once per process, with the preprocessing its folder describes and its weights as read (the
/// backward passes of attribution read the vision weights host-side).
/// </summary>
public sealed record LoadedModel(string Path, ClipModel Model, ClipPreprocessor Preprocessor, ClipWeights Weights);

/// <summary>
/// Loads CLIP models by path and keeps them (weights are large; every ingestion job and query of one model
/// shares one copy). Loading checks every tensor's name and shape; a failure names the file and the tensor.
/// </summary>
public sealed class ModelCatalog(IComputeBackend backend)
{
    readonly LoadOnce<LoadedModel> models = new();

    public LoadedModel Load(string path)
    {
        string full = ArtifactLoadException.Wrap(path, () => System.IO.Path.GetFullPath(path));
        return models.Get(full, () => LoadUncached(full));
    }

    /// <summary>Loads (and so checks) the model and describes it for the registry.</summary>
    public ModelRecord Inspect(string path)
    {
        var loaded = Load(path);
        var v = loaded.Model.Config.Vision;
        return new ModelRecord(loaded.Path, loaded.Model.Vision.Layers, v.HiddenSize, v.Tokens, v.ImageSize, v.PatchSize,
            loaded.Model.Config.ProjectionDim);
    }

    LoadedModel LoadUncached(string path) => ArtifactLoadException.Wrap(path, () =>
    {
        var weights = ClipCheckpoint.Load(path);
        var model = new ClipModel(backend, weights);
        string folder = Directory.Exists(path) ? path : System.IO.Path.GetDirectoryName(path)!;
        string preprocessorConfig = System.IO.Path.Combine(folder, "preprocessor_config.json");
        var preprocessor = File.Exists(preprocessorConfig)
            ? ClipPreprocessor.FromPreprocessorConfig(preprocessorConfig)
            : new ClipPreprocessor(model.Config.Vision.ImageSize);
        if (preprocessor.CropHeight != model.Config.Vision.ImageSize || preprocessor.CropWidth != model.Config.Vision.ImageSize)
            throw new InvalidDataException($"preprocessor crops {preprocessor.CropWidth}×{preprocessor.CropHeight} but the model takes {model.Config.Vision.ImageSize} px");
        return new LoadedModel(path, model, preprocessor, weights);
    });
}
