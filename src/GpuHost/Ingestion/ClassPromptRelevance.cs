using System.Numerics.Tensors;
using Actors.Analysis.Gradients;
using Actors.Sae;
using Actors.Sae.Architectures;

namespace Actors.GpuHost.Ingestion;

/// <summary>The hooked rows of a batch (image-major, RowsPerSequence per image) and, for residual hooks, the whole
/// residual stream (B, T, W) after the hook's block, from which the backward of each image continues.</summary>
public sealed record HookedBatch(float[] Rows, float[]? Stream, int Images);

/// <summary>
/// Ingestion's Act×Grad relevance (seed 000 Eq. 5) of every activation for its image's class prompt t_c:
/// R = a_j · v_j·∂y/∂h[s] with y = cos(f(x), t_c) (Eq. 4) and v_j = W_dec[j]/s the latent's feature vector (s the
/// SAE's activation scale). The sketcher sums it over an image's tokens into the latent's image-level R_j, whose
/// per-class moments are Eq. 8's μ_j and σ̂_j. ∂y/∂h comes from <see cref="HookGradient"/> at the very rows the
/// batch's activations were encoded from — the batch's own stream is kept, so no image runs the tower twice — at
/// the cost of one backward from the embedding to the hook per image whose label is a class of the vocabulary
/// (closed form at the image embedding). Images with another label, or none, get no relevance. Not thread-safe
/// (one <see cref="HookGradient"/>'s buffers): one per ingestion job.
/// </summary>
public sealed class ClassPromptRelevance
{
    readonly LoadedModel model;
    readonly SparseAutoencoder sae;
    readonly HookGradient gradient;
    readonly IReadOnlyDictionary<string, float[]> classPrompts;
    readonly float inverseScale;

    /// <param name="classPrompts">Class label → its prompt's text embedding t_c (the vocabulary's concept embeddings,
    /// made by this model's text tower).</param>
    public ClassPromptRelevance(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook, IReadOnlyDictionary<string, float[]> classPrompts)
    {
        (this.model, this.sae, this.classPrompts) = (model, sae, classPrompts);
        gradient = new HookGradient(model.Model.Vision, model.Weights.Vision, hook);
        if (sae.DIn != gradient.Width) throw new ArgumentException($"SAE d_in {sae.DIn} does not match hook {hook.HookName}'s row width {gradient.Width}");
        foreach (var (label, t) in classPrompts)
            if (t.Length != model.Model.Vision.ProjectionDim)
                throw new ArgumentException($"class prompt '{label}' has {t.Length} values, the model's embeddings {model.Model.Vision.ProjectionDim}");
        inverseScale = 1f / sae.Config.ActivationScale;
    }

    SaeHookSpec Hook => gradient.Hook;

    /// <summary>
    /// The rows <see cref="SaeHookSpec.Read"/> gives, keeping the stream they were cut from. A class-token hook runs
    /// its block for every token here (not only the class token) because the backward needs the whole stream.
    /// </summary>
    public HookedBatch Read(ReadOnlySpan<float> pixels, int images)
    {
        var vision = model.Model.Vision;
        if (Hook.Site == HookSite.ImageEmbedding) return new HookedBatch(vision.Encode(pixels, images), null, images);
        var stream = vision.ResidualAfter(pixels, images, Hook.Layer);
        var rows = Hook.Tokens == TokenSelection.All ? stream : Hook.SelectRows(stream, images, vision.Config.Tokens, vision.Config.HiddenSize);
        return new HookedBatch(rows, stream, images);
    }

    /// <summary>
    /// Relevance parallel to <paramref name="activations"/>' values (rows as in <paramref name="hooked"/>), and per
    /// image whether it was computed (<see cref="SaeBatch.Attributed"/>).
    /// </summary>
    public (float[] Relevance, bool[] Attributed) Attribute(HookedBatch hooked, SparseActivations activations, string?[] labels)
    {
        int perImage = gradient.RowCount, width = gradient.Width;
        if (labels.Length != hooked.Images || activations.Rows != hooked.Images * perImage)
            throw new ArgumentException($"{hooked.Images} images × {perImage} rows, but {labels.Length} labels and {activations.Rows} rows of activations");
        var relevance = new float[activations.Values.Length];
        var attributed = new bool[hooked.Images];
        int streamFloats = model.Model.Vision.Config.Tokens * model.Model.Vision.Config.HiddenSize;
        for (int i = 0; i < hooked.Images; i++)
        {
            if (labels[i] is not { } label || !classPrompts.TryGetValue(label, out var prompt)) continue;
            attributed[i] = true;
            var image = new HookedImage(Hook, hooked.Rows.AsSpan(i * perImage * width, perImage * width).ToArray(), perImage, width,
                hooked.Stream?.AsSpan(i * streamFloats, streamFloats).ToArray());
            var score = gradient.Evaluate(image, prompt);
            for (int r = 0; r < perImage; r++)
            {
                var g = score.Row(r);
                int row = i * perImage + r;
                // k entries per token: a dot product with the latent's decoder row each (seed 000 Eq. 5: a_j · v_j·∇_h y).
                for (int e = activations.RowStart[row]; e < activations.RowStart[row + 1]; e++)
                    relevance[e] = activations.Values[e] * TensorPrimitives.Dot(sae.DecoderWeights.AsSpan(activations.Indices[e] * width, width), g) * inverseScale;
            }
        }
        return (relevance, attributed);
    }
}
