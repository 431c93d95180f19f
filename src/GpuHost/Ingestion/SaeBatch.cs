using Actors.Grains.Sketches;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// One batch of SAE outputs as the host produces them: for every token (image-major, <see cref="TokenLayout"/>
/// tokens per image) its sparse activations in CSR form — token t's latents are
/// Latents[TokenOffsets[t]..TokenOffsets[t+1]] with the matching Values — plus each image's ref and label, and, when
/// the ingestion computes it, each activation's Act×Grad relevance for the image's class prompt (parallel to Values:
/// h_j[s] · d_j·∂y/∂h[s], seed 000 Eq. 5; a latent's image-level R_j is the sum over the image's tokens).
/// <see cref="Attributed"/> says per image whether its relevance was computed (its label is a class of the
/// vocabulary; the others' entries are 0 and join no moments); null means every labelled image's was.
/// </summary>
public sealed record SaeBatch(ImageRef[] Images, string?[] Labels, int[] TokenOffsets, int[] Latents, float[] Values,
    float[]? Relevance = null, bool[]? Attributed = null)
{
    /// <summary>Whether image <paramref name="image"/>'s relevance is to be merged into its class's moments.</summary>
    public bool HasRelevance(int image) => Relevance is not null && Labels[image] is not null && (Attributed is null || Attributed[image]);

    public int TokenCount => TokenOffsets.Length - 1;

    public void Validate(TokenLayout layout, int dSae)
    {
        if (Labels.Length != Images.Length)
            throw new ArgumentException($"batch has {Images.Length} images but {Labels.Length} labels");
        if (TokenOffsets.Length != Images.Length * layout.TokensPerImage + 1)
            throw new ArgumentException($"batch has {Images.Length} images × {layout.TokensPerImage} tokens, so TokenOffsets needs {Images.Length * layout.TokensPerImage + 1} entries; found {TokenOffsets.Length}");
        if (Latents.Length != Values.Length)
            throw new ArgumentException($"batch has {Latents.Length} latent indices but {Values.Length} values");
        if (Relevance is not null && Relevance.Length != Values.Length)
            throw new ArgumentException($"batch has {Values.Length} values but {Relevance.Length} relevances");
        if (Attributed is not null && (Relevance is null || Attributed.Length != Images.Length))
            throw new ArgumentException($"batch marks {Attributed.Length} images as attributed but has {Images.Length} images{(Relevance is null ? " and no relevance" : "")}");
        if (TokenOffsets[0] != 0 || TokenOffsets[^1] != Latents.Length)
            throw new ArgumentException($"TokenOffsets must run from 0 to {Latents.Length}; found {TokenOffsets[0]}..{TokenOffsets[^1]}");
        for (int t = 0; t < TokenCount; t++)
            if (TokenOffsets[t + 1] < TokenOffsets[t])
                throw new ArgumentException($"TokenOffsets decrease at token {t}");
        foreach (var s in Latents)
            if ((uint)s >= (uint)dSae) throw new ArgumentOutOfRangeException(nameof(Latents), s, $"latent index outside 0..{dSae - 1}");
    }
}
