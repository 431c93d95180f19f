using Actors.Analysis.Alignment;
using Actors.Analysis.Gradients;
using Actors.Analysis.Relevance;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;

namespace Actors.Analysis;

/// <summary>
/// The entry point a host calls: one CLIP vision tower, its host-side weights and one SAE (whose config names its
/// hook), and then, per image and prompt, the relevance of every active latent under any <see cref="ILatentRelevance"/>
/// (seed 000 Sec. 4.1, Eq. 5; baselines Sec. 5.1). Not thread-safe (one <see cref="HookGradient"/>'s buffers).
/// </summary>
public sealed class LatentAttributor
{
    public LatentAttributor(ClipVisionModel vision, ClipVisionWeights weights, SparseAutoencoder sae, SaeHookSpec? hook = null)
    {
        Hook = hook ?? sae.Config.Hook ?? throw new ArgumentException("the SAE's config names no hook; pass one");
        Sae = sae;
        Gradient = new HookGradient(vision, weights, Hook);
        if (sae.DIn != Gradient.Width) throw new ArgumentException($"SAE d_in {sae.DIn} does not match hook {Hook.HookName}'s row width {Gradient.Width}");
        Lens = new LogitLens(Hook, sae, weights, vision.Config.LayerNormEps);
    }

    public SaeHookSpec Hook { get; }
    public SparseAutoencoder Sae { get; }
    public HookGradient Gradient { get; }
    public LogitLens Lens { get; }

    /// <summary>Runs the image (C, H, W preprocessed) to the hook and decomposes it; reuse the result across methods.</summary>
    public AttributionInput Prepare(ReadOnlySpan<float> pixels, float[] text) => AttributionInput.Create(Gradient, Lens, Sae, pixels, text);

    /// <summary>Relevance of every active latent for one image and one prompt's text embedding t (proj).</summary>
    public LatentRelevance Attribute(ReadOnlySpan<float> pixels, float[] text, ILatentRelevance method) => method.Attribute(Prepare(pixels, text));
}
