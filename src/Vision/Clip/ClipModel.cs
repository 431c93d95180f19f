using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;

namespace Actors.Vision.Clip;

/// <summary>
/// Both CLIP towers and the learned temperature. Logits follow CLIP's Fig. 3 pseudo-code:
/// logits = exp(logit_scale) · normalise(image) · normalise(text)ᵀ.
/// </summary>
public sealed class ClipModel
{
    public ClipModel(IComputeBackend backend, ClipWeights weights)
    {
        Backend = backend;
        Config = weights.Config;
        Vision = new ClipVisionModel(backend, weights.Config, weights.Vision);
        Text = new ClipTextModel(backend, weights.Config, weights.Text);
        LogitScale = weights.LogitScale;
    }

    /// <param name="activation">The MLP activation, when the caller knows better than the folder (see ClipActivationResolver).</param>
    public static ClipModel Load(string path, IComputeBackend? backend = null, ActivationKind? activation = null) =>
        new(backend ?? new CpuBackend(), ClipCheckpoint.Load(path, activation: activation));

    public IComputeBackend Backend { get; }
    public ClipConfig Config { get; }
    public ClipVisionModel Vision { get; }
    public ClipTextModel Text { get; }
    /// <summary>log of the inverse temperature, as stored in the checkpoint.</summary>
    public float LogitScale { get; }

    /// <summary>Logits per image (Bi, Bt) from un-normalised embeddings (Bi, proj) and (Bt, proj).</summary>
    public float[] Logits(ReadOnlySpan<float> imageEmbeds, ReadOnlySpan<float> textEmbeds)
    {
        int d = Config.ProjectionDim;
        if (imageEmbeds.Length % d != 0 || textEmbeds.Length % d != 0)
            throw new ArgumentException($"embeddings must be rows of {d} values");
        var img = Embeddings.Normalized(imageEmbeds, d);
        var txt = Embeddings.Normalized(textEmbeds, d);
        int bi = img.Length / d, bt = txt.Length / d;
        float scale = MathF.Exp(LogitScale);
        var logits = new float[bi * bt];
        for (int i = 0; i < bi; i++)
            for (int j = 0; j < bt; j++)
                logits[i * bt + j] = scale * System.Numerics.Tensors.TensorPrimitives.Dot(img.AsSpan(i * d, d), txt.AsSpan(j * d, d));
        return logits;
    }
}

/// <summary>Row-wise helpers for embedding matrices.</summary>
public static class Embeddings
{
    /// <summary>Each row divided by its L2 norm (rows of length <paramref name="dim"/>).</summary>
    public static float[] Normalized(ReadOnlySpan<float> rows, int dim)
    {
        var r = rows.ToArray();
        for (int i = 0; i < r.Length; i += dim)
        {
            var row = r.AsSpan(i, dim);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
        return r;
    }
}
