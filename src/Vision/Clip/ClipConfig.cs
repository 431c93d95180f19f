using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Tensors.Kernels;

namespace Actors.Vision.Clip;

/// <summary>The vision tower's hyper-parameters (Hugging Face CLIPVisionConfig field names in comments).</summary>
public sealed record ClipVisionConfig(
    int HiddenSize,          // hidden_size (width W)
    int IntermediateSize,    // intermediate_size (MLP width)
    int Layers,              // num_hidden_layers
    int Heads,               // num_attention_heads
    int ImageSize,           // image_size
    int PatchSize,           // patch_size
    ActivationKind Activation, // hidden_act
    float LayerNormEps,      // layer_norm_eps
    int Channels = 3)        // num_channels
{
    public int PatchesPerSide => ImageSize / PatchSize;
    public int Patches => PatchesPerSide * PatchesPerSide;
    /// <summary>Class token + patches.</summary>
    public int Tokens => Patches + 1;
    public int PatchVectorLength => Channels * PatchSize * PatchSize;
}

/// <summary>The text tower's hyper-parameters (Hugging Face CLIPTextConfig field names in comments).</summary>
public sealed record ClipTextConfig(
    int HiddenSize,          // hidden_size
    int IntermediateSize,    // intermediate_size
    int Layers,              // num_hidden_layers
    int Heads,               // num_attention_heads
    int VocabSize,           // vocab_size
    int ContextLength,       // max_position_embeddings
    ActivationKind Activation, // hidden_act
    float LayerNormEps,      // layer_norm_eps
    int EosTokenId,          // eos_token_id
    int PadTokenId,          // pad_token_id
    int BosTokenId,          // bos_token_id
    EotPooling Pooling = EotPooling.FirstEosToken);

/// <summary>
/// Where the text tower reads its pooled token. OpenAI/OpenCLIP: argmax of the ids (&lt;|endoftext|&gt; has the
/// largest id). Hugging Face: configs written before eos_token_id was fixed carry eos_token_id = 2 and use argmax;
/// newer ones pool at the first position holding eos_token_id.
/// </summary>
public enum EotPooling { ArgMaxId, FirstEosToken }

/// <summary>
/// CLIP's configuration as Hugging Face's CLIPConfig stores it in config.json (text_config, vision_config,
/// projection_dim, logit_scale_init_value). Missing fields take the transformers defaults (ViT-B/32).
/// </summary>
public sealed record ClipConfig(ClipTextConfig Text, ClipVisionConfig Vision, int ProjectionDim, float LogitScaleInit)
{
    public static ClipConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CLIP config not found: {path}", path);
        try { return Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    public static ClipConfig Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("config.json is not a JSON object");
        var t = root["text_config"]?.AsObject() ?? new JsonObject();
        var v = root["vision_config"]?.AsObject() ?? new JsonObject();
        var text = new ClipTextConfig(
            Int(t, "hidden_size", 512), Int(t, "intermediate_size", 2048), Int(t, "num_hidden_layers", 12),
            Int(t, "num_attention_heads", 8), Int(t, "vocab_size", 49408), Int(t, "max_position_embeddings", 77),
            ParseActivation(Str(t, "hidden_act", "quick_gelu")), Float(t, "layer_norm_eps", 1e-5f),
            Int(t, "eos_token_id", 49407), Int(t, "pad_token_id", 1), Int(t, "bos_token_id", 49406));
        // transformers' CLIPTextTransformer: eos_token_id == 2 marks a legacy config → argmax pooling.
        text = text with { Pooling = text.EosTokenId == 2 ? EotPooling.ArgMaxId : EotPooling.FirstEosToken };
        var vision = new ClipVisionConfig(
            Int(v, "hidden_size", 768), Int(v, "intermediate_size", 3072), Int(v, "num_hidden_layers", 12),
            Int(v, "num_attention_heads", 12), Int(v, "image_size", 224), Int(v, "patch_size", 32),
            ParseActivation(Str(v, "hidden_act", "quick_gelu")), Float(v, "layer_norm_eps", 1e-5f), Int(v, "num_channels", 3));
        var config = new ClipConfig(text, vision, Int(root, "projection_dim", 512), Float(root, "logit_scale_init_value", 2.6592f));
        config.Validate();
        return config;
    }

    /// <summary>
    /// The hidden_act each tower of a config.json states, or null where the field is absent (transformers then
    /// uses quick_gelu, which <see cref="Parse"/> fills in); tells a stated activation from a defaulted one.
    /// </summary>
    public static (ActivationKind? Text, ActivationKind? Vision) StatedActivations(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("config.json is not a JSON object");
        ActivationKind? Stated(string tower) =>
            root[tower]?["hidden_act"] is JsonValue v ? ParseActivation(v.GetValue<string>()) : null;
        return (Stated("text_config"), Stated("vision_config"));
    }

    /// <summary>Both towers with the given activation.</summary>
    public ClipConfig WithActivation(ActivationKind kind) =>
        this with { Text = Text with { Activation = kind }, Vision = Vision with { Activation = kind } };

    public void Validate()
    {
        void Need(bool ok, string what) { if (!ok) throw new FormatException($"invalid CLIP config: {what}"); }
        Need(Vision.HiddenSize > 0 && Vision.Heads > 0 && Vision.HiddenSize % Vision.Heads == 0,
            $"vision hidden_size {Vision.HiddenSize} must be a positive multiple of num_attention_heads {Vision.Heads}");
        Need(Text.HiddenSize > 0 && Text.Heads > 0 && Text.HiddenSize % Text.Heads == 0,
            $"text hidden_size {Text.HiddenSize} must be a positive multiple of num_attention_heads {Text.Heads}");
        Need(Vision.PatchSize > 0 && Vision.ImageSize % Vision.PatchSize == 0,
            $"image_size {Vision.ImageSize} must be a multiple of patch_size {Vision.PatchSize}");
        Need(Vision.Layers >= 0 && Text.Layers >= 0, "layer counts must be ≥ 0");
        Need(ProjectionDim > 0 && Text.VocabSize > 0 && Text.ContextLength > 0, "projection_dim, vocab_size and max_position_embeddings must be > 0");
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("CLIPModel"),
            ["model_type"] = "clip",
            ["projection_dim"] = ProjectionDim,
            ["logit_scale_init_value"] = LogitScaleInit,
            ["text_config"] = new JsonObject
            {
                ["hidden_size"] = Text.HiddenSize, ["intermediate_size"] = Text.IntermediateSize,
                ["num_hidden_layers"] = Text.Layers, ["num_attention_heads"] = Text.Heads,
                ["vocab_size"] = Text.VocabSize, ["max_position_embeddings"] = Text.ContextLength,
                ["hidden_act"] = ActivationName(Text.Activation), ["layer_norm_eps"] = Text.LayerNormEps,
                ["eos_token_id"] = Text.EosTokenId, ["pad_token_id"] = Text.PadTokenId, ["bos_token_id"] = Text.BosTokenId,
                ["projection_dim"] = ProjectionDim, ["model_type"] = "clip_text_model",
            },
            ["vision_config"] = new JsonObject
            {
                ["hidden_size"] = Vision.HiddenSize, ["intermediate_size"] = Vision.IntermediateSize,
                ["num_hidden_layers"] = Vision.Layers, ["num_attention_heads"] = Vision.Heads,
                ["image_size"] = Vision.ImageSize, ["patch_size"] = Vision.PatchSize,
                ["hidden_act"] = ActivationName(Vision.Activation), ["layer_norm_eps"] = Vision.LayerNormEps,
                ["num_channels"] = Vision.Channels, ["projection_dim"] = ProjectionDim, ["model_type"] = "clip_vision_model",
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>transformers' ACT2FN names for the activations CLIP checkpoints use.</summary>
    public static ActivationKind ParseActivation(string name) => name switch
    {
        "quick_gelu" => ActivationKind.QuickGelu,
        "gelu" => ActivationKind.Gelu,
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => ActivationKind.GeluTanh,
        "relu" => ActivationKind.Relu,
        _ => throw new FormatException($"unknown hidden_act '{name}' (expected quick_gelu, gelu, gelu_new, gelu_pytorch_tanh or relu)"),
    };

    public static string ActivationName(ActivationKind kind) => kind switch
    {
        ActivationKind.QuickGelu => "quick_gelu",
        ActivationKind.Gelu => "gelu",
        ActivationKind.GeluTanh => "gelu_pytorch_tanh",
        ActivationKind.Relu => "relu",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    static int Int(JsonObject o, string key, int fallback) =>
        o[key] is JsonValue v ? (v.TryGetValue(out int i) ? i : checked((int)v.GetValue<double>())) : fallback;

    static float Float(JsonObject o, string key, float fallback) => o[key] is JsonValue v ? (float)v.GetValue<double>() : fallback;

    static string Str(JsonObject o, string key, string fallback) => o[key] is JsonValue v ? v.GetValue<string>() : fallback;
}
