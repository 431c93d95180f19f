namespace Actors.Vision.Clip;

/// <summary>
/// One pre-LN residual block's parameters, in nn.Linear layout (out, in). Attention projections are packed
/// q|k|v along the output dimension — the OpenAI/OpenCLIP in_proj layout, which Hugging Face's separate
/// q_proj/k_proj/v_proj are concatenated into when loading.
/// </summary>
public sealed record TransformerLayerWeights(
    float[] Ln1Gamma, float[] Ln1Beta,          // (W)
    float[] QkvWeight, float[] QkvBias,         // (3W, W), (3W)
    float[] OutWeight, float[] OutBias,         // (W, W), (W)
    float[] Ln2Gamma, float[] Ln2Beta,          // (W)
    float[] Fc1Weight, float[] Fc1Bias,         // (I, W), (I)
    float[] Fc2Weight, float[] Fc2Bias);        // (W, I), (W)

public sealed record ClipVisionWeights(
    float[] PatchWeight,                        // (W, C·P·P): Conv2d weight (W, C, P, P) flattened; CLIP's conv has no bias
    float[] ClassEmbedding,                     // (W)
    float[] PositionEmbedding,                  // (T, W), T = patches + 1
    float[] PreLnGamma, float[] PreLnBeta,      // (W)
    IReadOnlyList<TransformerLayerWeights> Layers,
    float[] PostLnGamma, float[] PostLnBeta,    // (W)
    float[] Projection);                        // (proj, W), no bias

public sealed record ClipTextWeights(
    float[] TokenEmbedding,                     // (V, W)
    float[] PositionEmbedding,                  // (context, W)
    IReadOnlyList<TransformerLayerWeights> Layers,
    float[] FinalLnGamma, float[] FinalLnBeta,  // (W)
    float[] Projection);                        // (proj, W), no bias

/// <summary>All CLIP parameters, checked against <see cref="Config"/>, whichever layout they came from.</summary>
public sealed record ClipWeights(
    ClipConfig Config,
    ClipVisionWeights Vision,
    ClipTextWeights Text,
    float LogitScale,                           // log of the softmax temperature's inverse; logits use exp(LogitScale)
    string Source,
    IReadOnlyList<string> UnusedTensors,
    string ActivationSource = "");               // why Config's activations are what they are (see ClipActivationResolver)
