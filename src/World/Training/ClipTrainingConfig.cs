using Actors.Tensors.Kernels;

namespace Actors.World.Training;

/// <summary>
/// Shape of a CLIP being trained (Radford et al. 2021, Sec. 2.4): a ViT image tower and a causal text tower,
/// both pre-LN transformers with MLP ratio 4 and <see cref="Activation"/> (OpenAI's quick_gelu by default; exact
/// gelu as OpenCLIP's own trainings), joined by linear projections into EmbedDim.
/// </summary>
public sealed record ClipTrainingConfig(
    int ImageSize, int PatchSize, int VisionWidth, int VisionLayers, int VisionHeads,
    int VocabSize, int ContextLength, int TextWidth, int TextLayers, int TextHeads,
    int EmbedDim, float LayerNormEps = 1e-5f, float InitialLogitScale = 2.6592f,
    ActivationKind Activation = ActivationKind.QuickGelu)
{
    public int PatchesPerSide => ImageSize / PatchSize;
    public int PatchCount => PatchesPerSide * PatchesPerSide;
    /// <summary>Tokens in the vision tower: one class token plus one per patch.</summary>
    public int VisionTokens => PatchCount + 1;
    /// <summary>Length of one unfolded patch: 3 channels × P × P, ordered (channel, row, column) like the conv weight.</summary>
    public int PatchDim => 3 * PatchSize * PatchSize;

    /// <summary>A tiny shape for gradient checks and smoke tests.</summary>
    public static ClipTrainingConfig Tiny(int vocabSize = 24) =>
        new(ImageSize: 16, PatchSize: 8, VisionWidth: 16, VisionLayers: 2, VisionHeads: 2,
            VocabSize: vocabSize, ContextLength: 8, TextWidth: 16, TextLayers: 2, TextHeads: 2, EmbedDim: 8);

    /// <summary>The shape shipped as models/world-clip: small enough to train in under an hour on 2 cores.</summary>
    public static ClipTrainingConfig World(int vocabSize) =>
        new(ImageSize: 64, PatchSize: 8, VisionWidth: 128, VisionLayers: 4, VisionHeads: 4,
            VocabSize: vocabSize, ContextLength: 32, TextWidth: 128, TextLayers: 4, TextHeads: 4, EmbedDim: 128);

    public void Validate()
    {
        void Positive(string name, int v) { if (v <= 0) throw new ArgumentException($"ClipTrainingConfig.{name} must be positive, found {v}"); }
        Positive(nameof(ImageSize), ImageSize); Positive(nameof(PatchSize), PatchSize);
        Positive(nameof(VisionWidth), VisionWidth); Positive(nameof(VisionLayers), VisionLayers);
        Positive(nameof(VisionHeads), VisionHeads); Positive(nameof(VocabSize), VocabSize);
        Positive(nameof(ContextLength), ContextLength); Positive(nameof(TextWidth), TextWidth);
        Positive(nameof(TextLayers), TextLayers); Positive(nameof(TextHeads), TextHeads); Positive(nameof(EmbedDim), EmbedDim);
        if (ImageSize % PatchSize != 0)
            throw new ArgumentException($"ClipTrainingConfig: image size {ImageSize} is not a multiple of patch size {PatchSize}");
        if (VisionWidth % VisionHeads != 0)
            throw new ArgumentException($"ClipTrainingConfig: vision width {VisionWidth} is not divisible by {VisionHeads} heads");
        if (TextWidth % TextHeads != 0)
            throw new ArgumentException($"ClipTrainingConfig: text width {TextWidth} is not divisible by {TextHeads} heads");
    }
}
