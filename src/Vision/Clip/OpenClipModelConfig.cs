using System.Text.Json;
using System.Text.Json.Nodes;

namespace Actors.Vision.Clip;

/// <summary>
/// What an OpenCLIP folder's open_clip_config.json says about the architecture, beyond the tensor shapes:
/// the activation and the head counts. The file wraps OpenCLIP's model config as {"model_cfg": {...},
/// "preprocess_cfg": {...}}; a bare model config (open_clip/model_configs/*.json) is read too.
/// open_clip.model.CLIP builds its MLPs with QuickGELU when model_cfg.quick_gelu is true and with nn.GELU
/// (exact, erf form) otherwise — an absent flag means GELU. Heads: vision width / vision_cfg.head_width
/// (default 64); text_cfg.heads (default 8; null when the file has no text_cfg).
/// </summary>
public sealed record OpenClipModelConfig(bool QuickGelu, int VisionHeadWidth, int? TextHeads)
{
    public const string FileName = "open_clip_config.json";

    /// <summary>open_clip.model.CLIPVisionCfg.head_width's default.</summary>
    public const int DefaultHeadWidth = 64;

    /// <summary>open_clip.model.CLIPTextCfg.heads's default.</summary>
    public const int DefaultTextHeads = 8;

    public static OpenClipModelConfig Load(string path)
    {
        try { return Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    public static OpenClipModelConfig Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("not a JSON object");
        var model = root["model_cfg"]?.AsObject()
            ?? (root.ContainsKey("vision_cfg") || root.ContainsKey("text_cfg") ? root
                : throw new FormatException("neither model_cfg nor a bare OpenCLIP model config (vision_cfg, text_cfg)"));
        bool quickGelu = model["quick_gelu"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue(out bool b) => b,
            var other => throw new FormatException($"model_cfg.quick_gelu must be true or false, found {other.ToJsonString()}"),
        };
        int headWidth = model["vision_cfg"]?["head_width"] is JsonValue hw ? hw.GetValue<int>() : DefaultHeadWidth;
        var textCfg = model["text_cfg"]?.AsObject();
        int? textHeads = textCfg is null ? null : textCfg["heads"] is JsonValue th ? th.GetValue<int>() : DefaultTextHeads;
        if (headWidth <= 0 || textHeads <= 0) throw new FormatException("head_width and heads must be positive");
        return new OpenClipModelConfig(quickGelu, headWidth, textHeads);
    }
}
