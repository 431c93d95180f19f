using Actors.Analysis.Alignment;
using Actors.Analysis.Gradients;
using Actors.Sae.Architectures;

namespace Actors.Analysis.Relevance;

/// <summary>
/// Everything a relevance method reads for one image and one prompt: the image at the hook, its SAE decomposition
/// (seed 000 Eq. 1), the text embedding t (proj), the gradient machinery (for ∂y/∂h anywhere on a path) and the Logit
/// Lens of the hook. y and ∂y/∂h at the image itself are computed once, on first use.
/// </summary>
public sealed class AttributionInput
{
    readonly Lazy<ScoreGradient> atImage;

    public AttributionInput(HookGradient gradient, LogitLens lens, LatentDecomposition decomposition, float[] text)
    {
        if (decomposition.Image.Hook != gradient.Hook || lens.Hook != gradient.Hook)
            throw new ArgumentException("the decomposition, the gradient and the Logit Lens must be for the same hook");
        (Gradient, Lens, Decomposition, Text) = (gradient, lens, decomposition, text);
        atImage = new Lazy<ScoreGradient>(() => gradient.Evaluate(decomposition.Image, text), LazyThreadSafetyMode.None);
    }

    /// <summary>Captures the image at the hook and decomposes it with <paramref name="sae"/>.</summary>
    public static AttributionInput Create(HookGradient gradient, LogitLens lens, SparseAutoencoder sae, ReadOnlySpan<float> pixels, float[] text) =>
        new(gradient, lens, LatentDecomposition.Of(sae, gradient.Capture(pixels)), text);

    public HookGradient Gradient { get; }
    public LogitLens Lens { get; }
    public LatentDecomposition Decomposition { get; }
    /// <summary>t, the prompt's text embedding (proj), not necessarily normalised.</summary>
    public float[] Text { get; }
    /// <summary>y and ∂y/∂h at the image's own activations.</summary>
    public ScoreGradient AtImage => atImage.Value;
}
