using System.Text.Json.Nodes;
using Actors.Tensors.Kernels;
using Actors.Vision.Checkpoints;

namespace Actors.Vision.Clip;

/// <summary>
/// Deterministic, seeded random CLIP models written in the real formats (Hugging Face folder: config.json,
/// model.safetensors, vocab.json, merges.txt, preprocessor_config.json; or an OpenAI/OpenCLIP state dict), so that
/// tests, the demo and the benchmark exercise the same loaders real checkpoints go through.
/// Weights are uniform with standard deviation 1/√fan_in (projections), embeddings with std 0.5, LayerNorm gains
/// near 1: random but well-conditioned, so every parameter visibly influences the outputs.
/// </summary>
public static class RandomClipModel
{
    public static readonly string[] PresetNames = ["tiny", "vit-b-32"];

    public static ClipConfig Preset(string name) => name switch
    {
        // Small enough for unit tests: 17 vision tokens, two layers per tower.
        "tiny" => new ClipConfig(
            new ClipTextConfig(32, 64, 2, 4, TinyClipVocabulary.Size, 77, ActivationKind.QuickGelu, 1e-5f,
                TinyClipVocabulary.EndOfTextId, TinyClipVocabulary.EndOfTextId, TinyClipVocabulary.StartOfTextId),
            new ClipVisionConfig(32, 64, 2, 4, 32, 8, ActivationKind.QuickGelu, 1e-5f),
            16, 2.6592f),
        // CLIP ViT-B/32's shapes (the text tower's vocabulary is the small generated one).
        "vit-b-32" => new ClipConfig(
            new ClipTextConfig(512, 2048, 12, 8, TinyClipVocabulary.Size, 77, ActivationKind.QuickGelu, 1e-5f,
                TinyClipVocabulary.EndOfTextId, TinyClipVocabulary.EndOfTextId, TinyClipVocabulary.StartOfTextId),
            new ClipVisionConfig(768, 3072, 12, 12, 224, 32, ActivationKind.QuickGelu, 1e-5f),
            512, 2.6592f),
        _ => throw new ArgumentException($"unknown preset '{name}' (known: {string.Join(", ", PresetNames)})"),
    };

    /// <summary>Random weights for <paramref name="config"/>; the same seed gives the same bits.</summary>
    public static ClipWeights Generate(ClipConfig config, int seed)
    {
        config.Validate();
        var rng = new Random(seed);
        float[] Uniform(long count, double std, double mean = 0)
        {
            var v = new float[count];
            double a = std * Math.Sqrt(3);
            for (long i = 0; i < count; i++) v[i] = (float)(mean + (rng.NextDouble() * 2 - 1) * a);
            return v;
        }
        TransformerLayerWeights Layer(int w, int inner) => new(
            Uniform(w, 0.1, 1), Uniform(w, 0.1),
            Uniform(3L * w * w, 1 / Math.Sqrt(w)), Uniform(3 * w, 0.1),
            Uniform((long)w * w, 1 / Math.Sqrt(w)), Uniform(w, 0.1),
            Uniform(w, 0.1, 1), Uniform(w, 0.1),
            Uniform((long)inner * w, 1 / Math.Sqrt(w)), Uniform(inner, 0.1),
            Uniform((long)w * inner, 1 / Math.Sqrt(inner)), Uniform(w, 0.1));
        var v = config.Vision; var t = config.Text;
        int vw = v.HiddenSize, tw = t.HiddenSize;
        var vision = new ClipVisionWeights(
            Uniform((long)vw * v.PatchVectorLength, 1 / Math.Sqrt(v.PatchVectorLength)),
            Uniform(vw, 0.5), Uniform((long)v.Tokens * vw, 0.5),
            Uniform(vw, 0.1, 1), Uniform(vw, 0.1),
            Enumerable.Range(0, v.Layers).Select(_ => Layer(vw, v.IntermediateSize)).ToArray(),
            Uniform(vw, 0.1, 1), Uniform(vw, 0.1),
            Uniform((long)config.ProjectionDim * vw, 1 / Math.Sqrt(vw)));
        var text = new ClipTextWeights(
            Uniform((long)t.VocabSize * tw, 0.5), Uniform((long)t.ContextLength * tw, 0.5),
            Enumerable.Range(0, t.Layers).Select(_ => Layer(tw, t.IntermediateSize)).ToArray(),
            Uniform(tw, 0.1, 1), Uniform(tw, 0.1),
            Uniform((long)config.ProjectionDim * tw, 1 / Math.Sqrt(tw)));
        return new ClipWeights(config, vision, text, config.LogitScaleInit, $"random(seed={seed})", []);
    }

    /// <summary>A Hugging Face CLIPModel folder with random weights, tokenizer and preprocessor config.</summary>
    public static ClipWeights Write(string directory, ClipConfig config, int seed)
    {
        var weights = Generate(config, seed);
        WriteHuggingFace(directory, weights);
        return weights;
    }

    public static void WriteHuggingFace(string directory, ClipWeights weights)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), weights.Config.ToJson());
        SafeTensorsFile.Write(Path.Combine(directory, "model.safetensors"), HuggingFaceClipLayout.ToTensors(weights));
        WriteTokenizerAndPreprocessor(directory, weights.Config);
    }

    /// <summary>The same weights as an OpenAI/OpenCLIP state dict (open_clip_model.safetensors, no config.json).</summary>
    public static void WriteOpenClip(string directory, ClipWeights weights)
    {
        Directory.CreateDirectory(directory);
        SafeTensorsFile.Write(Path.Combine(directory, "open_clip_model.safetensors"), OpenClipLayout.ToTensors(weights));
        WriteTokenizerAndPreprocessor(directory, weights.Config);
    }

    static void WriteTokenizerAndPreprocessor(string directory, ClipConfig config)
    {
        TinyClipVocabulary.Write(directory);
        int s = config.Vision.ImageSize;
        // transformers' CLIPImageProcessor fields (resample 3 = bicubic; CLIP's mean and std).
        var pre = new JsonObject
        {
            ["image_processor_type"] = "CLIPImageProcessor",
            ["do_resize"] = true, ["size"] = new JsonObject { ["shortest_edge"] = s }, ["resample"] = 3,
            ["do_center_crop"] = true, ["crop_size"] = new JsonObject { ["height"] = s, ["width"] = s },
            ["do_rescale"] = true, ["rescale_factor"] = 1 / 255.0,
            ["do_normalize"] = true,
            ["image_mean"] = new JsonArray(0.48145466, 0.4578275, 0.40821073),
            ["image_std"] = new JsonArray(0.26862954, 0.26130258, 0.27577711),
            ["do_convert_rgb"] = true,
        };
        File.WriteAllText(Path.Combine(directory, "preprocessor_config.json"), pre.ToJsonString(new() { WriteIndented = true }));
    }
}
