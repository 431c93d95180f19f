using Actors.Sae;

namespace Actors.Analysis.Patches;

/// <summary>
/// Seed 002 Eq. 4-5: a latent is active on a token when its SAE activation h_{i,j}[s] exceeds τ (strictly; App.
/// A.1 sets τ = 0.2), and its image-level activation a_i[s] = Σ_j 𝟙(h_{i,j}[s] > τ) counts the image's tokens
/// (CLS and patches, whichever the caller encoded) on which it is active.
/// </summary>
public static class ImageLevelActivation
{
    public const float DefaultThreshold = 0.2f;

    /// <summary>a_i from one image's tokens, one row of <paramref name="tokens"/> per token.</summary>
    public static int[] FromTokens(SparseActivations tokens, float threshold = DefaultThreshold)
    {
        var counts = new int[tokens.LatentCount];
        for (int row = 0; row < tokens.Rows; row++)
        {
            var indices = tokens.RowIndices(row);
            var values = tokens.RowValues(row);
            for (int e = 0; e < indices.Length; e++) if (values[e] > threshold) counts[indices[e]]++;
        }
        return counts;
    }

    /// <summary>a_i from dense activations h of shape (tokens, latents), row-major.</summary>
    public static int[] FromDense(ReadOnlySpan<float> h, int tokens, int latents, float threshold = DefaultThreshold)
    {
        if (h.Length != tokens * latents) throw new ArgumentException($"{h.Length} activations for {tokens} tokens × {latents} latents");
        var counts = new int[latents];
        for (int t = 0; t < tokens; t++)
        {
            var row = h.Slice(t * latents, latents);
            for (int s = 0; s < latents; s++) if (row[s] > threshold) counts[s]++;
        }
        return counts;
    }
}
