using Actors.Vision.Checkpoints;

namespace Actors.Vision.Clip;

/// <summary>
/// Tensor names of transformers' CLIPModel (modeling_clip.py): vision_model.*, text_model.*,
/// visual_projection.weight, text_projection.weight, logit_scale. Note the HF spelling "pre_layrnorm".
/// </summary>
public static class HuggingFaceClipLayout
{
    public const string Marker = "vision_model.embeddings.class_embedding";

    public static ClipWeights Read(IReadOnlyDictionary<string, NamedTensor> tensors, ClipConfig config, string source)
    {
        var c = new WeightChecklist(tensors, source);
        var v = config.Vision; var t = config.Text;
        int w = v.HiddenSize, p = v.PatchSize;
        var vision = new ClipVisionWeights(
            c.Take("vision_model.embeddings.patch_embedding.weight", w, v.Channels, p, p),
            c.Take("vision_model.embeddings.class_embedding", w),
            c.Take("vision_model.embeddings.position_embedding.weight", v.Tokens, w),
            c.Take("vision_model.pre_layrnorm.weight", w), c.Take("vision_model.pre_layrnorm.bias", w),
            Layers(c, "vision_model.encoder.layers", v.Layers, w, v.IntermediateSize),
            c.Take("vision_model.post_layernorm.weight", w), c.Take("vision_model.post_layernorm.bias", w),
            c.Take("visual_projection.weight", config.ProjectionDim, w));
        int tw = t.HiddenSize;
        var text = new ClipTextWeights(
            c.Take("text_model.embeddings.token_embedding.weight", t.VocabSize, tw),
            c.Take("text_model.embeddings.position_embedding.weight", t.ContextLength, tw),
            Layers(c, "text_model.encoder.layers", t.Layers, tw, t.IntermediateSize),
            c.Take("text_model.final_layer_norm.weight", tw), c.Take("text_model.final_layer_norm.bias", tw),
            c.Take("text_projection.weight", config.ProjectionDim, tw));
        float logitScale = c.TakeScalar("logit_scale");
        return new ClipWeights(config, vision, text, logitScale, source, c.Unused);
    }

    static TransformerLayerWeights[] Layers(WeightChecklist c, string prefix, int count, int w, int inner)
    {
        if (c.Has($"{prefix}.{count}.layer_norm1.weight"))
            throw new ClipCheckpointException(c.Source, $"{prefix}.{count}.layer_norm1.weight", $"checkpoint has more than the configured {count} layers");
        var layers = new TransformerLayerWeights[count];
        for (int l = 0; l < count; l++)
        {
            string b = $"{prefix}.{l}";
            // Pack q, k, v along the output dimension: rows [0,W) = q, [W,2W) = k, [2W,3W) = v.
            var qkvW = new float[3 * w * w]; var qkvB = new float[3 * w];
            string[] parts = ["q_proj", "k_proj", "v_proj"];
            for (int i = 0; i < 3; i++)
            {
                c.Take($"{b}.self_attn.{parts[i]}.weight", w, w).CopyTo(qkvW, i * w * w);
                c.Take($"{b}.self_attn.{parts[i]}.bias", w).CopyTo(qkvB, i * w);
            }
            layers[l] = new TransformerLayerWeights(
                c.Take($"{b}.layer_norm1.weight", w), c.Take($"{b}.layer_norm1.bias", w),
                qkvW, qkvB,
                c.Take($"{b}.self_attn.out_proj.weight", w, w), c.Take($"{b}.self_attn.out_proj.bias", w),
                c.Take($"{b}.layer_norm2.weight", w), c.Take($"{b}.layer_norm2.bias", w),
                c.Take($"{b}.mlp.fc1.weight", inner, w), c.Take($"{b}.mlp.fc1.bias", inner),
                c.Take($"{b}.mlp.fc2.weight", w, inner), c.Take($"{b}.mlp.fc2.bias", w));
        }
        return layers;
    }

    /// <summary>The weights as HF CLIPModel tensors (for writing checkpoints in this layout).</summary>
    public static IEnumerable<NamedTensor> ToTensors(ClipWeights m)
    {
        var v = m.Config.Vision; var t = m.Config.Text;
        int w = v.HiddenSize, p = v.PatchSize;
        yield return NamedTensor.F32("vision_model.embeddings.patch_embedding.weight", [w, v.Channels, p, p], m.Vision.PatchWeight);
        yield return NamedTensor.F32("vision_model.embeddings.class_embedding", [w], m.Vision.ClassEmbedding);
        yield return NamedTensor.F32("vision_model.embeddings.position_embedding.weight", [v.Tokens, w], m.Vision.PositionEmbedding);
        yield return NamedTensor.F32("vision_model.pre_layrnorm.weight", [w], m.Vision.PreLnGamma);
        yield return NamedTensor.F32("vision_model.pre_layrnorm.bias", [w], m.Vision.PreLnBeta);
        foreach (var x in LayerTensors("vision_model.encoder.layers", m.Vision.Layers, w, v.IntermediateSize)) yield return x;
        yield return NamedTensor.F32("vision_model.post_layernorm.weight", [w], m.Vision.PostLnGamma);
        yield return NamedTensor.F32("vision_model.post_layernorm.bias", [w], m.Vision.PostLnBeta);
        yield return NamedTensor.F32("visual_projection.weight", [m.Config.ProjectionDim, w], m.Vision.Projection);
        int tw = t.HiddenSize;
        yield return NamedTensor.F32("text_model.embeddings.token_embedding.weight", [t.VocabSize, tw], m.Text.TokenEmbedding);
        yield return NamedTensor.F32("text_model.embeddings.position_embedding.weight", [t.ContextLength, tw], m.Text.PositionEmbedding);
        foreach (var x in LayerTensors("text_model.encoder.layers", m.Text.Layers, tw, t.IntermediateSize)) yield return x;
        yield return NamedTensor.F32("text_model.final_layer_norm.weight", [tw], m.Text.FinalLnGamma);
        yield return NamedTensor.F32("text_model.final_layer_norm.bias", [tw], m.Text.FinalLnBeta);
        yield return NamedTensor.F32("text_projection.weight", [m.Config.ProjectionDim, tw], m.Text.Projection);
        yield return NamedTensor.F32("logit_scale", [], [m.LogitScale]);
    }

    static IEnumerable<NamedTensor> LayerTensors(string prefix, IReadOnlyList<TransformerLayerWeights> layers, int w, int inner)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            var x = layers[l]; string b = $"{prefix}.{l}";
            string[] parts = ["q_proj", "k_proj", "v_proj"];
            for (int i = 0; i < 3; i++)
            {
                yield return NamedTensor.F32($"{b}.self_attn.{parts[i]}.weight", [w, w], x.QkvWeight.AsSpan(i * w * w, w * w).ToArray());
                yield return NamedTensor.F32($"{b}.self_attn.{parts[i]}.bias", [w], x.QkvBias.AsSpan(i * w, w).ToArray());
            }
            yield return NamedTensor.F32($"{b}.self_attn.out_proj.weight", [w, w], x.OutWeight);
            yield return NamedTensor.F32($"{b}.self_attn.out_proj.bias", [w], x.OutBias);
            yield return NamedTensor.F32($"{b}.layer_norm1.weight", [w], x.Ln1Gamma);
            yield return NamedTensor.F32($"{b}.layer_norm1.bias", [w], x.Ln1Beta);
            yield return NamedTensor.F32($"{b}.mlp.fc1.weight", [inner, w], x.Fc1Weight);
            yield return NamedTensor.F32($"{b}.mlp.fc1.bias", [inner], x.Fc1Bias);
            yield return NamedTensor.F32($"{b}.mlp.fc2.weight", [w, inner], x.Fc2Weight);
            yield return NamedTensor.F32($"{b}.mlp.fc2.bias", [w], x.Fc2Bias);
            yield return NamedTensor.F32($"{b}.layer_norm2.weight", [w], x.Ln2Gamma);
            yield return NamedTensor.F32($"{b}.layer_norm2.bias", [w], x.Ln2Beta);
        }
    }
}
