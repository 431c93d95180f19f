using Actors.Analysis.Gradients;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Tensors.Kernels;
using Actors.Vision.Clip;

namespace Actors.Analysis.Alignment;

/// <summary>
/// Logit Lens (seed 000 Sec. 3.3, Eq. 3): latent j's feature vector v_j taken alone (a_i = δ_ij, b = ε = 0 in Eq. 1)
/// through what follows the hook into the embedding space, v_j' = LN_post(v_j) W_projᵀ (with LN_post's γ, β and ε, as
/// the model has them), and LogitLens_j(t) = v_j'/‖v_j'‖ · t/‖t‖.
/// <list type="bullet">
/// <item>Image-embedding hook: v_j' = v_j.</item>
/// <item>Residual hook after the last block: seed 000's definition.</item>
/// <item>Residual hook after an earlier block: LN_post and the projection applied directly, skipping the blocks in
/// between — the logit lens as it is used on language models; seed 000 defines it only after the last block.</item>
/// </list>
/// v_j = W_dec[j]/s (s the SAE's activation scale).
/// </summary>
public sealed class LogitLens
{
    readonly SparseAutoencoder sae;
    readonly ClipVisionWeights? weights;
    readonly float eps;
    readonly int width, projection;

    /// <param name="weights">The vision weights (LN_post, projection); may be null for the image-embedding hook.</param>
    public LogitLens(SaeHookSpec hook, SparseAutoencoder sae, ClipVisionWeights? weights, float layerNormEps)
    {
        Hook = hook;
        this.sae = sae;
        width = sae.DIn;
        if (hook.Site == HookSite.ResidualPost)
        {
            this.weights = weights ?? throw new ArgumentNullException(nameof(weights), $"a residual hook ({hook.HookName}) needs LN_post and the projection");
            if (weights.PostLnGamma.Length != width)
                throw new ArgumentException($"SAE d_in {width} does not match the residual width {weights.PostLnGamma.Length}");
            projection = weights.Projection.Length / width;
            eps = layerNormEps;
        }
        else projection = width;
    }

    public SaeHookSpec Hook { get; }
    /// <summary>Width of v_j', the embedding dimension.</summary>
    public int EmbeddingDim => projection;

    /// <summary>v_j' (proj): latent <paramref name="latent"/>'s feature vector in the embedding space.</summary>
    public float[] Embedding(int latent)
    {
        if ((uint)latent >= (uint)sae.DSae) throw new ArgumentOutOfRangeException(nameof(latent), $"latent {latent} outside 0..{sae.DSae - 1}");
        var v = sae.DecoderWeights.AsSpan(latent * width, width).ToArray();
        float inverseScale = 1f / sae.Config.ActivationScale;
        for (int i = 0; i < v.Length; i++) v[i] *= inverseScale;
        if (weights is null) return v;
        var normed = new float[width];
        LayerNorm.Forward(v, weights.PostLnGamma, weights.PostLnBeta, normed, [], [], 1, width, eps);
        var result = new float[projection];
        Linear.Forward(normed, weights.Projection, [], result, 1, width, projection);
        return result;
    }

    /// <summary>LogitLens_j(t), seed 000 Eq. 3.</summary>
    public double Score(int latent, ReadOnlySpan<float> text) => ImageTextScore.Cosine(Embedding(latent), text);

    /// <summary>LogitLens_j(t) for every concept t of <paramref name="concepts"/>.</summary>
    public double[] Scores(int latent, ConceptSet concepts)
    {
        if (concepts.Dim != projection) throw new ArgumentException($"concept embeddings have {concepts.Dim} values, the embedding space {projection}");
        var v = Embedding(latent);
        return Enumerable.Range(0, concepts.Count).Select(c => ImageTextScore.Cosine(v, concepts.Embedding(c))).ToArray();
    }

    /// <summary>The <paramref name="count"/> concepts latent <paramref name="latent"/> aligns with best under Eq. 3.</summary>
    public IReadOnlyList<ConceptScore> TopConcepts(int latent, ConceptSet concepts, int count) => concepts.Top(Scores(latent, concepts), count);
}
