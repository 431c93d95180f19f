using System.Text.RegularExpressions;
using Actors.Tensors.Kernels;
using Actors.Vision.Checkpoints;

namespace Actors.Vision.Clip;

/// <summary>
/// Tensor names of OpenAI's CLIP (model.py) and OpenCLIP state dicts: visual.conv1.weight, visual.class_embedding,
/// visual.positional_embedding, visual.ln_pre, visual.transformer.resblocks.N.{ln_1, attn.in_proj_weight (3W,W)
/// packed q|k|v, attn.in_proj_bias, attn.out_proj, ln_2, mlp.c_fc, mlp.c_proj}, visual.ln_post, visual.proj (W,out),
/// token_embedding, positional_embedding, transformer.resblocks.N..., ln_final, text_projection (W,out), logit_scale.
/// The projections are stored transposed relative to nn.Linear, so they are transposed on load.
/// </summary>
public static partial class OpenClipLayout
{
    public const string Marker = "visual.class_embedding";

    public static ClipWeights Read(IReadOnlyDictionary<string, NamedTensor> tensors, ClipConfig config, string source)
    {
        var c = new WeightChecklist(tensors, source);
        var v = config.Vision; var t = config.Text;
        int w = v.HiddenSize, p = v.PatchSize;
        var vision = new ClipVisionWeights(
            c.Take("visual.conv1.weight", w, v.Channels, p, p),
            c.Take("visual.class_embedding", w),
            c.Take("visual.positional_embedding", v.Tokens, w),
            c.Take("visual.ln_pre.weight", w), c.Take("visual.ln_pre.bias", w),
            Layers(c, "visual.transformer.resblocks", v.Layers, w, v.IntermediateSize),
            c.Take("visual.ln_post.weight", w), c.Take("visual.ln_post.bias", w),
            Transpose(c.Take("visual.proj", w, config.ProjectionDim), w, config.ProjectionDim));
        int tw = t.HiddenSize;
        var text = new ClipTextWeights(
            c.Take("token_embedding.weight", t.VocabSize, tw),
            c.Take("positional_embedding", t.ContextLength, tw),
            Layers(c, "transformer.resblocks", t.Layers, tw, t.IntermediateSize),
            c.Take("ln_final.weight", tw), c.Take("ln_final.bias", tw),
            Transpose(c.Take("text_projection", tw, config.ProjectionDim), tw, config.ProjectionDim));
        return new ClipWeights(config, vision, text, c.TakeScalar("logit_scale"), source, c.Unused);
    }

    /// <summary>
    /// A configuration read off the tensor shapes, for OpenAI/OpenCLIP checkpoints that come without a
    /// transformers config.json. Head counts are not stored in any shape: OpenAI's build_model uses width / 64,
    /// which is the default here (open_clip_config.json's head_width and text heads override it). The activation
    /// is not stored either: OpenAI models use quick_gelu, OpenCLIP's own trainings use gelu unless the model
    /// name ends in "-quickgelu"; <see cref="ClipActivationResolver"/> settles it from the folder.
    /// </summary>
    public static ClipConfig InferConfig(IReadOnlyDictionary<string, NamedTensor> tensors, string source,
        ActivationKind activation = ActivationKind.QuickGelu, int headWidth = 64, int? textHeads = null)
    {
        var c = new WeightChecklist(tensors, source);
        var conv = c.Peek("visual.conv1.weight").Shape;
        if (conv.Length != 4) throw new ClipCheckpointException(source, "visual.conv1.weight", $"expected 4 dimensions, found [{string.Join(", ", conv)}]");
        int w = conv[0], patch = conv[2];
        int tokens = c.Peek("visual.positional_embedding").Shape[0];
        int grid = (int)Math.Round(Math.Sqrt(tokens - 1));
        if (grid * grid != tokens - 1)
            throw new ClipCheckpointException(source, "visual.positional_embedding", $"{tokens} positions are not 1 + a square grid");
        var token = c.Peek("token_embedding.weight").Shape;
        int tw = token[1];
        var vision = new ClipVisionConfig(w, c.Peek("visual.transformer.resblocks.0.mlp.c_fc.weight").Shape[0],
            CountLayers(tensors.Keys, "visual.transformer.resblocks"), Math.Max(1, w / headWidth), grid * patch, patch,
            activation, 1e-5f, conv[1]);
        var text = new ClipTextConfig(tw, c.Peek("transformer.resblocks.0.mlp.c_fc.weight").Shape[0],
            CountLayers(tensors.Keys, "transformer.resblocks"), textHeads ?? Math.Max(1, tw / 64), token[0],
            c.Peek("positional_embedding").Shape[0], activation, 1e-5f,
            EosTokenId: token[0] - 1, PadTokenId: 0, BosTokenId: token[0] - 2, Pooling: EotPooling.ArgMaxId);
        var config = new ClipConfig(text, vision, c.Peek("text_projection").Shape[1], 2.6592f);
        config.Validate();
        return config;
    }

    static int CountLayers(IEnumerable<string> names, string prefix)
    {
        var rx = new Regex("^" + Regex.Escape(prefix) + @"\.(\d+)\.");
        return names.Select(n => rx.Match(n)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value) + 1).DefaultIfEmpty(0).Max();
    }

    static TransformerLayerWeights[] Layers(WeightChecklist c, string prefix, int count, int w, int inner)
    {
        if (c.Has($"{prefix}.{count}.ln_1.weight"))
            throw new ClipCheckpointException(c.Source, $"{prefix}.{count}.ln_1.weight", $"checkpoint has more than the configured {count} layers");
        var layers = new TransformerLayerWeights[count];
        for (int l = 0; l < count; l++)
        {
            string b = $"{prefix}.{l}";
            layers[l] = new TransformerLayerWeights(
                c.Take($"{b}.ln_1.weight", w), c.Take($"{b}.ln_1.bias", w),
                c.Take($"{b}.attn.in_proj_weight", 3 * w, w), c.Take($"{b}.attn.in_proj_bias", 3 * w),
                c.Take($"{b}.attn.out_proj.weight", w, w), c.Take($"{b}.attn.out_proj.bias", w),
                c.Take($"{b}.ln_2.weight", w), c.Take($"{b}.ln_2.bias", w),
                c.Take($"{b}.mlp.c_fc.weight", inner, w), c.Take($"{b}.mlp.c_fc.bias", inner),
                c.Take($"{b}.mlp.c_proj.weight", w, inner), c.Take($"{b}.mlp.c_proj.bias", w));
        }
        return layers;
    }

    /// <summary>(rows, cols) → (cols, rows).</summary>
    internal static float[] Transpose(float[] a, int rows, int cols)
    {
        var r = new float[a.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                r[j * rows + i] = a[i * cols + j];
        return r;
    }

    /// <summary>The weights as OpenAI/OpenCLIP state-dict tensors.</summary>
    public static IEnumerable<NamedTensor> ToTensors(ClipWeights m)
    {
        var v = m.Config.Vision; var t = m.Config.Text;
        int w = v.HiddenSize, p = v.PatchSize, proj = m.Config.ProjectionDim;
        yield return NamedTensor.F32("visual.conv1.weight", [w, v.Channels, p, p], m.Vision.PatchWeight);
        yield return NamedTensor.F32("visual.class_embedding", [w], m.Vision.ClassEmbedding);
        yield return NamedTensor.F32("visual.positional_embedding", [v.Tokens, w], m.Vision.PositionEmbedding);
        yield return NamedTensor.F32("visual.ln_pre.weight", [w], m.Vision.PreLnGamma);
        yield return NamedTensor.F32("visual.ln_pre.bias", [w], m.Vision.PreLnBeta);
        foreach (var x in LayerTensors("visual.transformer.resblocks", m.Vision.Layers, w, v.IntermediateSize)) yield return x;
        yield return NamedTensor.F32("visual.ln_post.weight", [w], m.Vision.PostLnGamma);
        yield return NamedTensor.F32("visual.ln_post.bias", [w], m.Vision.PostLnBeta);
        yield return NamedTensor.F32("visual.proj", [w, proj], Transpose(m.Vision.Projection, proj, w));
        int tw = t.HiddenSize;
        yield return NamedTensor.F32("token_embedding.weight", [t.VocabSize, tw], m.Text.TokenEmbedding);
        yield return NamedTensor.F32("positional_embedding", [t.ContextLength, tw], m.Text.PositionEmbedding);
        foreach (var x in LayerTensors("transformer.resblocks", m.Text.Layers, tw, t.IntermediateSize)) yield return x;
        yield return NamedTensor.F32("ln_final.weight", [tw], m.Text.FinalLnGamma);
        yield return NamedTensor.F32("ln_final.bias", [tw], m.Text.FinalLnBeta);
        yield return NamedTensor.F32("text_projection", [tw, proj], Transpose(m.Text.Projection, proj, tw));
        yield return NamedTensor.F32("logit_scale", [], [m.LogitScale]);
    }

    static IEnumerable<NamedTensor> LayerTensors(string prefix, IReadOnlyList<TransformerLayerWeights> layers, int w, int inner)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            var x = layers[l]; string b = $"{prefix}.{l}";
            yield return NamedTensor.F32($"{b}.ln_1.weight", [w], x.Ln1Gamma);
            yield return NamedTensor.F32($"{b}.ln_1.bias", [w], x.Ln1Beta);
            yield return NamedTensor.F32($"{b}.attn.in_proj_weight", [3 * w, w], x.QkvWeight);
            yield return NamedTensor.F32($"{b}.attn.in_proj_bias", [3 * w], x.QkvBias);
            yield return NamedTensor.F32($"{b}.attn.out_proj.weight", [w, w], x.OutWeight);
            yield return NamedTensor.F32($"{b}.attn.out_proj.bias", [w], x.OutBias);
            yield return NamedTensor.F32($"{b}.ln_2.weight", [w], x.Ln2Gamma);
            yield return NamedTensor.F32($"{b}.ln_2.bias", [w], x.Ln2Beta);
            yield return NamedTensor.F32($"{b}.mlp.c_fc.weight", [inner, w], x.Fc1Weight);
            yield return NamedTensor.F32($"{b}.mlp.c_fc.bias", [inner], x.Fc1Bias);
            yield return NamedTensor.F32($"{b}.mlp.c_proj.weight", [w, inner], x.Fc2Weight);
            yield return NamedTensor.F32($"{b}.mlp.c_proj.bias", [w], x.Fc2Bias);
        }
    }
}
