using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;

namespace Actors.Analysis.Steering;

/// <summary>
/// CLIP's image embeddings with and without an SAE intervention at the SAE's hook: the steered forward edits the
/// hooked rows with a <see cref="SteeringSplice"/> (h' = decode(a') + ε) and continues through the remaining blocks,
/// LN_post and the projection (<see cref="SaeHookSpec.EncodeEdited"/>). Not thread-safe: one vision model's buffers.
/// </summary>
public sealed class SteeredForward
{
    public SteeredForward(ClipVisionModel vision, SparseAutoencoder sae, SaeHookSpec hook)
    {
        if (sae.DIn != hook.RowWidth(vision))
            throw new ArgumentException($"SAE d_in {sae.DIn} does not match hook {hook.HookName}'s row width {hook.RowWidth(vision)}");
        (Vision, Sae, Hook) = (vision, sae, hook);
    }

    public ClipVisionModel Vision { get; }
    public SparseAutoencoder Sae { get; }
    public SaeHookSpec Hook { get; }

    /// <summary>Image embeddings (batch, proj) of preprocessed pixels (batch, C, H, W), as CLIP computes them.</summary>
    public float[] Unsteered(ReadOnlySpan<float> pixels, int batch) => Vision.Encode(pixels, batch);

    /// <summary>Image embeddings (batch, proj) with every hooked row of every image steered.</summary>
    public float[] Steered(ReadOnlySpan<float> pixels, int batch, SteeringSplice splice) =>
        Hook.EncodeEdited(Vision, pixels, batch, splice.Apply);

    /// <summary>
    /// Each latent's image-level activation f_j(x) summed over the batch's images into <paramref name="sums"/>
    /// (d_sae): f_j(x) is a_j averaged over the image's hooked rows (its class token, its patches, or both; one row
    /// at the image-embedding hook). Seed 001 Eq. 9 compares the means of f_j over two corpora.
    /// </summary>
    public void AddImageActivations(ReadOnlySpan<float> pixels, int batch, Span<double> sums)
    {
        if (sums.Length != Sae.DSae) throw new ArgumentException($"{sums.Length} sums for {Sae.DSae} latents");
        var rows = Hook.Read(Vision, pixels, batch);
        int perImage = rows.Length / batch / Sae.DIn;
        var a = Sae.Encode(rows, batch * perImage);
        for (int r = 0; r < a.Rows; r++)
        {
            var idx = a.RowIndices(r); var val = a.RowValues(r);
            for (int i = 0; i < idx.Length; i++) sums[idx[i]] += val[i] / (double)perImage;
        }
    }
}
