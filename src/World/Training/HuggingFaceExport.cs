using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Tensors.Kernels;
using Actors.Vision.Checkpoints;
using Actors.Vision.Clip;

namespace Actors.World.Training;

/// <summary>Special token ids of the learned vocabulary, written into config.json for the loader's EOT pooling.</summary>
public sealed record SpecialTokens(int StartOfText, int EndOfText, int Padding);

/// <summary>
/// Writes a trained model as a Hugging Face CLIPModel folder: config.json (hidden_act from the training config),
/// model.safetensors (the training layout's names are already HF's), vocab.json + merges.txt and
/// preprocessor_config.json (the world's image size, mean and std), so <see cref="ClipModel.Load"/> reads it.
/// </summary>
public static class HuggingFaceExport
{
    public static ClipConfig ToClipConfig(ClipTrainingConfig c, SpecialTokens tokens) =>
        new(new ClipTextConfig(c.TextWidth, 4 * c.TextWidth, c.TextLayers, c.TextHeads, c.VocabSize, c.ContextLength,
                c.Activation, c.LayerNormEps, tokens.EndOfText, tokens.Padding, tokens.StartOfText),
            new ClipVisionConfig(c.VisionWidth, 4 * c.VisionWidth, c.VisionLayers, c.VisionHeads, c.ImageSize, c.PatchSize,
                c.Activation, c.LayerNormEps),
            c.EmbedDim, c.InitialLogitScale);

    public static void Write(ClipTrainingModel model, string directory, SpecialTokens tokens,
        string vocabJson, string mergesTxt, IReadOnlyList<float> imageMean, IReadOnlyList<float> imageStd)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ToClipConfig(model.Config, tokens).ToJson());
        var tensors = model.Layout.Tensors.Select(t =>
            NamedTensor.F32(t.Name, t.Shape, model.Parameters.AsSpan(t.Offset, t.Length).ToArray()));
        SafeTensorsFile.Write(Path.Combine(directory, "model.safetensors"), tensors,
            metadata: new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, "vocab.json"), vocabJson);
        File.WriteAllText(Path.Combine(directory, "merges.txt"), mergesTxt);
        File.WriteAllText(Path.Combine(directory, "preprocessor_config.json"),
            PreprocessorConfigJson(model.Config.ImageSize, imageMean, imageStd));
    }

    /// <summary>transformers' CLIPImageProcessor fields for images already at the model's size.</summary>
    public static string PreprocessorConfigJson(int imageSize, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        var root = new JsonObject
        {
            ["image_processor_type"] = "CLIPImageProcessor",
            ["do_resize"] = true, ["size"] = new JsonObject { ["shortest_edge"] = imageSize },
            ["resample"] = 3,
            ["do_center_crop"] = true, ["crop_size"] = new JsonObject { ["height"] = imageSize, ["width"] = imageSize },
            ["do_rescale"] = true, ["rescale_factor"] = 1.0 / 255.0,
            ["do_normalize"] = true,
            ["image_mean"] = new JsonArray(mean.Select(v => (JsonNode)(double)v).ToArray()),
            ["image_std"] = new JsonArray(std.Select(v => (JsonNode)(double)v).ToArray()),
            ["do_convert_rgb"] = true,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
