using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Sae.Architectures;
using Actors.Vision.Checkpoints;

namespace Actors.Sae.Formats;

/// <summary>
/// SAELens folders: cfg.json + sae_weights.safetensors with W_enc [d_in, d_sae], b_enc [d_sae], W_dec [d_sae, d_in],
/// b_dec [d_in] and, for "jumprelu", threshold [d_sae]. Field names follow SAELens 6 (sae_lens/saes/sae.py,
/// topk_sae.py: architecture, d_in, d_sae, apply_b_dec_to_input, normalize_activations, k, metadata.hook_name) and
/// also accept the older flat layout (activation_fn_str "topk" + activation_fn_kwargs {k}, top-level hook_name).
/// </summary>
public static class SaeLensFolder
{
    public const string ConfigFile = "cfg.json", WeightsFile = "sae_weights.safetensors";

    public static SparseAutoencoder Read(string folder)
    {
        var cfgPath = Path.Combine(folder, ConfigFile);
        var weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(cfgPath)) throw new FileNotFoundException($"SAELens folder {folder}: missing {ConfigFile}", cfgPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"SAELens folder {folder}: missing {WeightsFile}", weightsPath);
        var (config, foldDecoderNorm) = ParseConfig(File.ReadAllText(cfgPath), cfgPath);
        var tensors = SafeTensorsFile.Read(weightsPath);
        var sae = FromStateDict(config, name => tensors.TryGetValue(name, out var t) ? t : null, weightsPath, "W_enc", "b_enc", "W_dec", "b_dec", "threshold");
        if (foldDecoderNorm) FoldDecoderNorm(sae);
        return sae;
    }

    /// <summary>Writes cfg.json and sae_weights.safetensors. An activation scale is folded into the weights first
    /// (as SAELens does after training), so the folder needs no normalisation at inference.</summary>
    public static void Write(string folder, SparseAutoencoder sae)
    {
        Directory.CreateDirectory(folder);
        var s = sae.Config.ActivationScale != 1f ? FoldActivationScale(sae) : sae;
        File.WriteAllText(Path.Combine(folder, ConfigFile), ConfigJson(s.Config).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var tensors = new List<NamedTensor>
        {
            NamedTensor.F32("W_enc", [s.DIn, s.DSae], Transpose(s.EncoderWeights, s.DSae, s.DIn)),
            NamedTensor.F32("b_enc", [s.DSae], s.EncoderBias),
            NamedTensor.F32("W_dec", [s.DSae, s.DIn], s.DecoderWeights),
            NamedTensor.F32("b_dec", [s.DIn], s.DecoderBias),
        };
        if (s is JumpReluSae j) tensors.Add(NamedTensor.F32("threshold", [s.DSae], j.Threshold));
        SafeTensorsFile.Write(Path.Combine(folder, WeightsFile), tensors);
    }

    public static JsonObject ConfigJson(SaeConfig c)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in c.Metadata) metadata[key] = value;
        var o = new JsonObject
        {
            ["architecture"] = c.Architecture switch { SaeArchitecture.TopK => "topk", SaeArchitecture.JumpRelu => "jumprelu", _ => "standard" },
            ["d_in"] = c.DIn,
            ["d_sae"] = c.DSae,
            ["dtype"] = "float32",
            ["device"] = "cpu",
            ["apply_b_dec_to_input"] = c.ApplyBDecToInput,
            ["normalize_activations"] = c.NormalizeActivations == ActivationNormalization.ExpectedAverageOnlyIn ? "expected_average_only_in" : "none",
            ["reshape_activations"] = "none",
        };
        if (c.NormalizeActivations == ActivationNormalization.ExpectedAverageOnlyIn) o["norm_scaling_factor"] = c.ActivationScale;
        if (c is TopKSaeConfig t)
        {
            o["k"] = t.K;
            o["rescale_acts_by_decoder_norm"] = false;
            o["activation_fn_kwargs"] = new JsonObject { ["k"] = t.K }; // older SAELens / ViT-Prisma readers
        }
        if (c.Hook is { } h)
        {
            metadata["hook_name"] = h.HookName;
            metadata["hook_layer"] = h.Layer;
            metadata["token_selection"] = h.Tokens.ToString().ToLowerInvariant();
        }
        o["metadata"] = metadata;
        return o;
    }

    /// <summary>Parses cfg.json text; the flag says whether SAELens "rescale_acts_by_decoder_norm" must be folded.</summary>
    public static (SaeConfig Config, bool FoldDecoderNorm) ParseConfig(string json, string source)
    {
        JsonObject o;
        try { o = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("empty"); }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        { throw new SaeFormatException($"{source}: not a JSON object ({e.Message})"); }
        var metadataNode = o["metadata"] as JsonObject;
        int dIn = RequireInt(o, "d_in", source), dSae = RequireInt(o, "d_sae", source);
        string arch = (string?)o["architecture"] ?? "standard";
        string? activationFn = (string?)o["activation_fn_str"] ?? (string?)o["activation_fn"];
        if (arch == "standard" && activationFn == "topk") arch = "topk";
        int? k = (int?)o["k"] ?? (int?)(o["activation_fn_kwargs"] as JsonObject)?["k"];
        string norm = (string?)o["normalize_activations"] ?? "none";
        var normalization = norm switch
        {
            "none" => ActivationNormalization.None,
            "expected_average_only_in" => ActivationNormalization.ExpectedAverageOnlyIn,
            _ => throw new NotSupportedException($"{source}: normalize_activations \"{norm}\" is not supported (none, expected_average_only_in)"),
        };
        float scale = 1f;
        if (normalization == ActivationNormalization.ExpectedAverageOnlyIn)
            scale = (float?)o["norm_scaling_factor"] ?? throw new SaeFormatException(
                $"{source}: normalize_activations is expected_average_only_in but no norm_scaling_factor is given (fold it into the weights first)");
        SaeConfig config = arch switch
        {
            "topk" => new TopKSaeConfig(dIn, dSae, k ?? throw new SaeFormatException($"{source}: top-k SAE without k (neither \"k\" nor activation_fn_kwargs.k)")),
            "standard" => new StandardSaeConfig(dIn, dSae),
            "jumprelu" => new JumpReluSaeConfig(dIn, dSae),
            _ => throw new NotSupportedException($"{source}: SAE architecture \"{arch}\" is not supported (topk, standard, jumprelu)"),
        };
        var metadata = new Dictionary<string, string>();
        if (metadataNode is not null)
            foreach (var (key, value) in metadataNode)
                if (value is JsonValue && key is not ("hook_name" or "hook_layer" or "token_selection")) metadata[key] = value.ToString();
        string? hookName = (string?)metadataNode?["hook_name"] ?? (string?)o["hook_name"] ?? (string?)o["hook_point"];
        SaeHookSpec? hook = null;
        if (hookName is not null)
        {
            // "image_embeds" names the image-embedding hook whatever layer or tokens the file states (SaeHookSpec.FromName).
            int? layer = (int?)metadataNode?["hook_layer"] ?? (int?)o["hook_layer"] ?? (int?)o["hook_point_layer"];
            var tokens = ((string?)metadataNode?["token_selection"]) switch
            {
                "cls" => TokenSelection.Cls, "patches" => TokenSelection.Patches, _ => TokenSelection.All,
            };
            hook = SaeHookSpec.FromName(hookName, layer, tokens);
        }
        config = config with
        {
            ApplyBDecToInput = (bool?)o["apply_b_dec_to_input"] ?? true,
            NormalizeActivations = normalization,
            ActivationScale = scale,
            Hook = hook,
            Metadata = metadata,
        };
        return (config, (bool?)o["rescale_acts_by_decoder_norm"] ?? false);
    }

    static int RequireInt(JsonObject o, string name, string source)
    {
        try { return (int?)o[name] ?? throw new SaeFormatException($"{source}: missing \"{name}\""); }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        { throw new SaeFormatException($"{source}: \"{name}\" is not an integer"); }
    }

    /// <summary>
    /// Builds an SAE from SAELens-layout tensors (W_enc [d_in, d_sae]) looked up under the given names.
    /// Every missing tensor or wrong shape is reported by name with expected and found shapes.
    /// </summary>
    public static SparseAutoencoder FromStateDict(SaeConfig c, Func<string, NamedTensor?> lookup, string source,
        string wEnc, string bEnc, string wDec, string bDec, string? threshold)
    {
        float[] Get(string name, params int[] shape)
        {
            var t = lookup(name) ?? throw new SaeFormatException($"{source}: missing tensor '{name}' (expected shape [{string.Join(", ", shape)}])");
            if (!t.Shape.SequenceEqual(shape))
                throw new SaeFormatException($"{source}: tensor '{name}' has shape {t.ShapeText}, expected [{string.Join(", ", shape)}] for d_in {c.DIn}, d_sae {c.DSae}");
            return t.Data;
        }
        var enc = Transpose(Get(wEnc, c.DIn, c.DSae), c.DIn, c.DSae);
        float[]? theta = c is JumpReluSaeConfig ? Get(threshold ?? "threshold", c.DSae) : null;
        return SparseAutoencoder.Create(c, enc, (float[])Get(bEnc, c.DSae).Clone(), (float[])Get(wDec, c.DSae, c.DIn).Clone(),
            (float[])Get(bDec, c.DIn).Clone(), theta is null ? null : (float[])theta.Clone());
    }

    /// <summary>SAELens "rescale_acts_by_decoder_norm": pre-activations are multiplied by ‖W_dec[j]‖ before top-k and
    /// divided by it when decoding. Folding W_enc[j]·n_j, b_enc[j]·n_j, W_dec[j]/n_j gives the same outputs.</summary>
    public static void FoldDecoderNorm(SparseAutoencoder sae)
    {
        int d = sae.DIn;
        for (int j = 0; j < sae.DSae; j++)
        {
            var dec = sae.DecoderWeights.AsSpan(j * d, d);
            float n = System.Numerics.Tensors.TensorPrimitives.Norm(dec);
            if (n == 0) continue;
            System.Numerics.Tensors.TensorPrimitives.Multiply(sae.EncoderWeights.AsSpan(j * d, d), n, sae.EncoderWeights.AsSpan(j * d, d));
            sae.EncoderBias[j] *= n;
            System.Numerics.Tensors.TensorPrimitives.Multiply(dec, 1f / n, dec);
        }
    }

    /// <summary>The same function without input scaling: W_enc·s, W_dec/s, b_dec/s (SAELens fold_activation_norm_scaling_factor).</summary>
    public static SparseAutoencoder FoldActivationScale(SparseAutoencoder sae)
    {
        float s = sae.Config.ActivationScale;
        var enc = sae.EncoderWeights.Select(v => v * s).ToArray();
        var dec = sae.DecoderWeights.Select(v => v / s).ToArray();
        var bDec = sae.DecoderBias.Select(v => v / s).ToArray();
        var config = sae.Config with { ActivationScale = 1f, NormalizeActivations = ActivationNormalization.None };
        return SparseAutoencoder.Create(config, enc, (float[])sae.EncoderBias.Clone(), dec, bDec, (sae as JumpReluSae)?.Threshold.ToArray());
    }

    /// <summary>(rows, cols) → (cols, rows), blocked so both sides stream through cache.</summary>
    public static float[] Transpose(float[] a, int rows, int cols)
    {
        var t = new float[a.Length];
        const int B = 32;
        Parallel.For(0, (rows + B - 1) / B, bi =>
        {
            int r0 = bi * B, r1 = Math.Min(rows, r0 + B);
            for (int c0 = 0; c0 < cols; c0 += B)
            {
                int c1 = Math.Min(cols, c0 + B);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) t[(long)c * rows + r] = a[(long)r * cols + c];
            }
        });
        return t;
    }
}
