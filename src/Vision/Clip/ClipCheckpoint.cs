using Actors.Tensors.Kernels;
using Actors.Vision.Checkpoints;

namespace Actors.Vision.Clip;

/// <summary>
/// Finds and loads CLIP weights: a Hugging Face model folder (config.json + model.safetensors), an OpenAI/OpenCLIP
/// state dict (safetensors or torch.save .pt/.bin), or a single weights file. The layout is recognised from the tensor names; a folder
/// without config.json is read with a configuration inferred from the shapes (OpenAI conventions, refined by an
/// open_clip_config.json). The MLP activation is settled by <see cref="ClipActivationResolver"/>.
/// </summary>
public static class ClipCheckpoint
{
    /// <param name="config">A configuration to use instead of the folder's; its activations count as stated.</param>
    /// <param name="activation">The MLP activation of both towers, overriding whatever the folder says.</param>
    public static ClipWeights Load(string path, ClipConfig? config = null, ActivationKind? activation = null)
    {
        string weightsFile = Directory.Exists(path) ? FindWeights(path) : path;
        if (!File.Exists(weightsFile)) throw new FileNotFoundException($"no CLIP model folder or weights file at {weightsFile}", weightsFile);
        string folder = Path.GetDirectoryName(Path.GetFullPath(weightsFile))!;
        string? configFile = Beside(folder, "config.json"), openClipFile = Beside(folder, OpenClipModelConfig.FileName);
        bool configFromCaller = config is not null;
        var tensors = ReadTensors(weightsFile);
        ClipWeights weights;
        if (tensors.ContainsKey(HuggingFaceClipLayout.Marker))
        {
            config ??= configFile is not null ? ClipConfig.Load(configFile)
                : throw new ClipCheckpointException(weightsFile, null, $"no config.json in {folder}: the Hugging Face CLIPModel layout needs one beside its weights");
            config = Resolve(config, out var source);
            weights = HuggingFaceClipLayout.Read(tensors, config, weightsFile) with { ActivationSource = source };
        }
        else if (tensors.ContainsKey(OpenClipLayout.Marker))
        {
            config ??= configFile is not null ? ClipConfig.Load(configFile) : InferOpenClip(tensors, weightsFile, openClipFile);
            config = Resolve(config, out var source);
            weights = OpenClipLayout.Read(tensors, config, weightsFile) with { ActivationSource = source };
        }
        else throw new ClipCheckpointException(weightsFile, null,
            $"neither a Hugging Face CLIPModel ('{HuggingFaceClipLayout.Marker}') nor an OpenAI/OpenCLIP state dict ('{OpenClipLayout.Marker}')");
        return weights;

        ClipConfig Resolve(ClipConfig c, out string source)
        {
            try
            {
                (c, source) = ClipActivationResolver.Resolve(c, activation, configFromCaller, configFile, openClipFile);
                return c;
            }
            catch (FormatException e) { throw new ClipCheckpointException(weightsFile, null, e.Message); }
        }
    }

    static string? Beside(string folder, string name) => File.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name) : null;

    /// <summary>Shapes give the sizes; open_clip_config.json, where present, gives the head counts.</summary>
    static ClipConfig InferOpenClip(IReadOnlyDictionary<string, NamedTensor> tensors, string weightsFile, string? openClipFile)
    {
        if (openClipFile is null) return OpenClipLayout.InferConfig(tensors, weightsFile);
        var oc = OpenClipModelConfig.Load(openClipFile);
        return OpenClipLayout.InferConfig(tensors, weightsFile, headWidth: oc.VisionHeadWidth, textHeads: oc.TextHeads);
    }

    static IReadOnlyDictionary<string, NamedTensor> ReadTensors(string file) =>
        Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".safetensors" => SafeTensorsFile.Read(file),
            ".pt" or ".pth" or ".bin" => StateDict(TorchCheckpoint.Read(file)),
            _ => throw new ClipCheckpointException(file, null, "unsupported weights file type (expected .safetensors, .pt, .pth or .bin)"),
        };

    /// <summary>
    /// The model's tensors from a torch.save file: a bare state dict, or OpenCLIP's training checkpoint
    /// {"epoch", "state_dict": {...}} whose names may carry DistributedDataParallel's "module." prefix.
    /// </summary>
    static IReadOnlyDictionary<string, NamedTensor> StateDict(TorchCheckpointContents contents)
    {
        var tensors = contents.Tensors.ContainsKey(HuggingFaceClipLayout.Marker) || contents.Tensors.ContainsKey(OpenClipLayout.Marker)
            ? contents.Tensors
            : contents.TensorsUnder("state_dict");
        if (tensors.Count > 0 && tensors.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal)))
            tensors = tensors.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value with { Name = kv.Key["module.".Length..] });
        return tensors.Count > 0 ? tensors : contents.Tensors;
    }

    /// <summary>The weights file names a model folder is searched for, in order of preference.</summary>
    static readonly string[] WeightsFileNames = ["model.safetensors", "open_clip_model.safetensors", "pytorch_model.bin", "open_clip_pytorch_model.bin"];

    static string FindWeights(string dir)
    {
        foreach (var name in WeightsFileNames)
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        var candidates = Directory.GetFiles(dir, "*.safetensors");
        if (candidates.Length == 0) candidates = Directory.GetFiles(dir, "*.pt");
        if (candidates.Length == 1) return candidates[0];
        string looked = $"{string.Join(", ", WeightsFileNames)}, or a single *.safetensors or *.pt";
        throw new FileNotFoundException(candidates.Length == 0
            ? $"no model weights ({looked}) in {dir}"
            : $"{candidates.Length} candidate weights files in {dir} ({string.Join(", ", candidates.Select(Path.GetFileName))}) and none of {looked}: name the weights file");
    }
}
