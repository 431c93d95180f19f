using System.Numerics.Tensors;
using Actors.Analysis.Gradients;
using Actors.Sae;
using Actors.Sae.Architectures;

namespace Actors.Analysis.Relevance;

/// <summary>
/// seed 000 Eq. 1 for the hooked rows h (RowCount, Width) of one image: h = Σ_j a_j v_j + b + ε, with a the SAE's
/// activations, v_j = W_dec[j]/s the latent's feature vector (s the SAE's activation scale, 1 when it has none),
/// b = b_dec/s the bias term and ε = h − ĥ the error term (App. B.1 treats b and ε as two more components with a = 1).
/// Entries are the non-zero (row, latent, a) of <see cref="Activations"/>, in its order.
/// </summary>
public sealed class LatentDecomposition
{
    readonly float inverseScale;

    LatentDecomposition(SparseAutoencoder sae, HookedImage image, SparseActivations activations, float[] reconstruction, float[] error)
    {
        Sae = sae; Image = image; Activations = activations; Reconstruction = reconstruction; Error = error;
        inverseScale = 1f / sae.Config.ActivationScale;
        Bias = sae.DecoderBias.Select(v => v * inverseScale).ToArray();
    }

    /// <summary>Encodes the hooked rows of <paramref name="image"/> with <paramref name="sae"/>.</summary>
    public static LatentDecomposition Of(SparseAutoencoder sae, HookedImage image)
    {
        if (sae.DIn != image.Width)
            throw new ArgumentException($"SAE d_in {sae.DIn} does not match the hook's row width {image.Width} ({image.Hook.HookName})");
        var activations = sae.Encode(image.Rows, image.RowCount);
        var reconstruction = sae.Decode(activations);
        var error = new float[image.Rows.Length];
        TensorPrimitives.Subtract(image.Rows, reconstruction, error);
        return new LatentDecomposition(sae, image, activations, reconstruction, error);
    }

    public SparseAutoencoder Sae { get; }
    public HookedImage Image { get; }
    public int RowCount => Image.RowCount;
    public int Width => Image.Width;
    /// <summary>a (RowCount rows of active latents).</summary>
    public SparseActivations Activations { get; }
    /// <summary>ĥ = Σ_j a_j v_j + b, (RowCount, Width).</summary>
    public float[] Reconstruction { get; }
    /// <summary>ε = h − ĥ, (RowCount, Width).</summary>
    public float[] Error { get; }
    /// <summary>b = b_dec/s, (Width).</summary>
    public float[] Bias { get; }

    /// <summary>Row of entry <paramref name="entry"/> (an index into Activations.Indices/Values).</summary>
    public int RowOf(int entry)
    {
        int row = Array.BinarySearch(Activations.RowStart, entry);
        if (row < 0) return ~row - 1;
        while (row + 1 < Activations.RowStart.Length && Activations.RowStart[row + 1] == entry) row++;   // skip empty rows
        return row;
    }

    /// <summary>v_j · g = (W_dec[j] · g)/s for a row-width vector g.</summary>
    public double FeatureDot(int latent, ReadOnlySpan<float> g) =>
        (double)TensorPrimitives.Dot(Sae.DecoderWeights.AsSpan(latent * Width, Width), g) * inverseScale;

    /// <summary>‖v_j‖ = ‖W_dec[j]‖/s.</summary>
    public double FeatureNorm(int latent) => (double)TensorPrimitives.Norm(Sae.DecoderWeights.AsSpan(latent * Width, Width)) * inverseScale;

    /// <summary>v_j (Width), a copy.</summary>
    public float[] FeatureVector(int latent)
    {
        var v = Sae.DecoderWeights.AsSpan(latent * Width, Width).ToArray();
        TensorPrimitives.Multiply(v, inverseScale, v);
        return v;
    }

    /// <summary>
    /// The rows with every latent activation scaled by α and b, ε held: h(α) = α·Σ a_j v_j + b + ε = h − (1 − α)(ĥ − b).
    /// h(1) = h; h(0) = b + ε is Integrated Gradients' zero baseline on the latent activations.
    /// </summary>
    public float[] ScaledRows(double alpha)
    {
        var rows = new float[Image.Rows.Length];
        for (int r = 0; r < RowCount; r++)
            for (int i = 0; i < Width; i++)
            {
                int at = r * Width + i;
                rows[at] = (float)(Image.Rows[at] - (1 - alpha) * (Reconstruction[at] - Bias[i]));
            }
        return rows;
    }
}
