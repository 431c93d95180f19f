using Actors.Tensors.Kernels;

namespace Actors.Vision.Clip;

/// <summary>
/// Settles which MLP activation a checkpoint folder's model uses; no weight shape tells quick_gelu from gelu, and
/// the wrong one moves embeddings by ~1e-2. In order: what the caller states; a ClipConfig the caller passed;
/// open_clip_config.json's model_cfg.quick_gelu (absent = false = exact GELU, open_clip.model.CLIP) together
/// with config.json's hidden_act — an exception when the two state different activations; config.json alone;
/// and, when the folder says nothing, OpenAI CLIP's quick_gelu (model.py QuickGELU), as before. OpenCLIP's own
/// trainings of non "-quickgelu" models (e.g. ViT-B-32 on LAION) use GELU, so a bare state dict of one needs
/// the activation stated.
/// </summary>
public static class ClipActivationResolver
{
    /// <summary>The activation assumed when nothing states one: OpenAI's released CLIP models use it.</summary>
    public const ActivationKind OpenAiDefault = ActivationKind.QuickGelu;

    /// <param name="config">The configuration read so far (from config.json, or inferred from the shapes).</param>
    /// <param name="stated">The caller's activation, which wins over everything the folder says.</param>
    /// <param name="configFromCaller">The caller passed <paramref name="config"/>: its activations are stated.</param>
    /// <param name="configJson">config.json beside the weights, or null.</param>
    /// <param name="openClipJson">open_clip_config.json beside the weights, or null.</param>
    public static (ClipConfig Config, string Source) Resolve(ClipConfig config, ActivationKind? stated,
        bool configFromCaller, string? configJson, string? openClipJson)
    {
        if (stated is { } kind) return (config.WithActivation(kind), $"{Name(kind)}, stated by the caller");
        if (configFromCaller) return (config, "the ClipConfig passed to the loader");

        var hf = configJson is null ? default : ClipConfig.StatedActivations(File.ReadAllText(configJson));
        var openClip = openClipJson is null ? null : OpenClipModelConfig.Load(openClipJson);
        if (openClip is not null)
        {
            var oc = openClip.QuickGelu ? ActivationKind.QuickGelu : ActivationKind.Gelu;
            foreach (var (tower, act) in new[] { ("text_config", hf.Text), ("vision_config", hf.Vision) })
                if (act is { } h && h != oc)
                    throw new ClipCheckpointException(Path.GetDirectoryName(openClipJson)!, null,
                        $"the folder contradicts itself: config.json's {tower}.hidden_act is '{Name(h)}' but " +
                        $"{OpenClipModelConfig.FileName} has quick_gelu = {(openClip.QuickGelu ? "true" : "false (or absent)")}, " +
                        $"which means '{Name(oc)}'. State the activation (activation: ActivationKind.{oc} or .{h}; --activation on the command line).");
            return (config.WithActivation(oc),
                $"{Name(oc)}, from {OpenClipModelConfig.FileName} (model_cfg.quick_gelu {(openClip.QuickGelu ? "true" : "false or absent")})");
        }
        if (hf.Text is not null || hf.Vision is not null)
            return (config, $"text {Name(config.Text.Activation)}, vision {Name(config.Vision.Activation)}, from config.json hidden_act");
        if (configJson is not null)
            return (config, $"{Name(config.Text.Activation)}: config.json has no hidden_act, transformers' CLIP default");
        return (config.WithActivation(OpenAiDefault),
            $"{Name(OpenAiDefault)}: nothing in the folder states the activation, so OpenAI CLIP's is assumed " +
            "(OpenCLIP's own trainings of models not named -quickgelu use gelu: state it if this is one)");
    }

    static string Name(ActivationKind kind) => ClipConfig.ActivationName(kind);
}
