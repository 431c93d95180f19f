using System.CommandLine;
using System.Text.Json;
using Actors.Tensors.Kernels;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Vision.Tokenization;

namespace Actors.GpuHost.Cli;

/// <summary>Shared pieces of the CLIP verbs: the --model option, loading, and compact JSON output.</summary>
internal static class ClipCliSupport
{
    public static Option<string> ModelOption() => new("--model")
    {
        Description = "CLIP model folder (Hugging Face layout: config.json, model.safetensors, vocab.json, merges.txt)",
        Required = true,
    };

    /// <summary>--activation: overrides the MLP activation the folder implies (ClipActivationResolver).</summary>
    public static Option<string?> ActivationOption()
    {
        var option = new Option<string?>("--activation")
        {
            Description = "MLP activation of both towers, overriding what the folder says: quick_gelu (OpenAI weights, " +
                          "OpenCLIP *-quickgelu models) or gelu (OpenCLIP's own trainings, e.g. ViT-B-32 on LAION)",
        };
        option.AcceptOnlyFromAmong("quick_gelu", "gelu", "gelu_pytorch_tanh", "relu");
        return option;
    }

    public static ClipModel LoadModel(string dir, string? activation = null)
    {
        ActivationKind? stated = activation is null ? null : ClipConfig.ParseActivation(activation);
        var weights = ClipCheckpoint.Load(dir, activation: stated);
        if (weights.UnusedTensors.Count > 0)
            Console.Error.WriteLine($"note: {weights.UnusedTensors.Count} unused tensors in {weights.Source}: {string.Join(", ", weights.UnusedTensors.Take(10))}");
        Console.Error.WriteLine($"note: MLP activation {weights.ActivationSource}");
        return new ClipModel(new Tensors.Backends.CpuBackend(), weights);
    }

    public static ClipTokenizer LoadTokenizer(string dir) =>
        ClipTokenizer.FromDirectory(dir);

    /// <summary>The folder's preprocessor_config.json when present, else CLIP's defaults at the model's image size.</summary>
    public static ClipPreprocessor LoadPreprocessor(string dir, ClipConfig config)
    {
        string path = Path.Combine(dir, "preprocessor_config.json");
        return File.Exists(path) ? ClipPreprocessor.FromPreprocessorConfig(path) : new ClipPreprocessor(config.Vision.ImageSize);
    }

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static float[] Row(float[] rows, int index, int width) => rows.AsSpan(index * width, width).ToArray();
}
