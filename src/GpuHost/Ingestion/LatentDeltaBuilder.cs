using Actors.Grains.Sketches;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Builds one latent's per-batch <see cref="LatentSketch"/> from its raw token activations, image by image.
/// Definitions (seed 002 Sec. 3.2): a token fires when h_{i,j}[s] &gt; 0; the image-level activation used for
/// reference images, label mass (Eq. 3's sum_c) and class moments is the mean of h_{i,j}[s] over all the image's
/// tokens (zeros included); a_i[s] = #{j : h_{i,j}[s] &gt; τ} (Eq. 4-5) is returned for class-level activations.
/// It adds into a sketch the caller holds (<see cref="NewSketch"/>): one batch's sketch of the latent, or a delivery
/// group's accumulator of it — by mergeability the same statistic.
/// </summary>
public sealed class LatentDeltaBuilder(TokenLayout layout, int referenceCapacity = TopReferences.DefaultCapacity,
    double threshold = ClassActivations.DefaultThreshold)
{
    public TokenLayout Layout => layout;
    public double Threshold => threshold;

    /// <summary>An empty sketch with this builder's reference capacity, for <see cref="AddImage"/>.</summary>
    public LatentSketch NewSketch() => new(LogHistogram.Sparse(), new TopReferences(referenceCapacity));

    /// <summary>
    /// Adds one image's non-zero activations of this latent to <paramref name="sketch"/>: <paramref name="tokens"/> are token indices within
    /// the image (ascending or not), <paramref name="values"/> the activations, <paramref name="relevance"/> (empty, or
    /// one per value) their Act×Grad relevance for the image's class prompt, summed into the latent's image-level R_j
    /// (seed 000 Eq. 5) and merged into the class's relevance moments (Eq. 8's μ, σ). Returns a_i[s] (Eq. 4-5).
    /// </summary>
    public int AddImage(LatentSketch sketch, ImageRef image, string? label, ReadOnlySpan<int> tokens, ReadOnlySpan<float> values,
        ReadOnlySpan<float> relevance = default)
    {
        if (tokens.Length != values.Length)
            throw new ArgumentException($"image {image.ImageId}: {tokens.Length} token indices but {values.Length} values");
        if (!relevance.IsEmpty && relevance.Length != values.Length)
            throw new ArgumentException($"image {image.ImageId}: {values.Length} values but {relevance.Length} relevances");
        int firing = 0, aboveThreshold = 0;
        double sum = 0;
        var moments = sketch.Activation;
        var max = sketch.Max;
        var histogram = sketch.Histogram;
        for (int n = 0; n < values.Length; n++)
        {
            int t = tokens[n];
            if ((uint)t >= (uint)layout.TokensPerImage)
                throw new ArgumentOutOfRangeException(nameof(tokens), t, $"image {image.ImageId}: token index outside 0..{layout.TokensPerImage - 1}");
            double v = values[n];
            if (!(v > 0)) continue;
            firing++;
            sum += v;
            if (v > threshold) aboveThreshold++;
            moments = moments.Add(v);
            max = max.Add(v);
            histogram.Add(v);
        }
        sketch.Activation = moments;
        sketch.Max = max;
        if (firing == 0) return 0;
        sketch.Firing = FiringStats.Merge(sketch.Firing, new FiringStats(firing, 1));

        double imageActivation = sum / layout.TokensPerImage;
        if (label is not null) sketch.Classes.Add(label, imageActivation);
        if (label is not null && !relevance.IsEmpty)
        {
            double r = 0;
            for (int n = 0; n < values.Length; n++) if (values[n] > 0) r += relevance[n];
            sketch.Relevance.Add(label, r);
        }
        if (sketch.References.Admits(imageActivation, image))
            sketch.References.Add(new ReferenceImage(image, imageActivation, label, Heatmap(tokens, values)));
        return aboveThreshold;
    }

    PatchHeatmap Heatmap(ReadOnlySpan<int> tokens, ReadOnlySpan<float> values)
    {
        Span<float> grid = stackalloc float[layout.PatchTokens];
        grid.Clear();
        for (int n = 0; n < tokens.Length; n++)
        {
            int cell = layout.CellOf(tokens[n]);
            if (cell >= 0 && values[n] > 0) grid[cell] = values[n];
        }
        return PatchHeatmap.Quantize(layout.GridWidth, grid);
    }
}
