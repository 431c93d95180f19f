namespace Actors.Vision.Imaging;

/// <summary>
/// Draws a ViT patch heatmap (one value per patch, row-major gridSide×gridSide) over an image: the grid is
/// min–max normalised, upsampled bilinearly to the image size (pixel centres aligned, like
/// <c>F.interpolate(..., mode="bilinear", align_corners=False)</c>), mapped blue→cyan→green→yellow→red, and
/// alpha-blended. Used to show where a latent fires on a reference image.
/// </summary>
public static class HeatmapOverlay
{
    private static readonly (float Stop, float R, float G, float B)[] Colormap =
    [
        (0.00f, 0, 0, 1), (0.25f, 0, 1, 1), (0.50f, 0, 1, 0), (0.75f, 1, 1, 0), (1.00f, 1, 0, 0),
    ];

    public static RgbImage Render(RgbImage image, float[] patchHeatmap, int gridSide, float alpha = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(patchHeatmap);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSide);
        if (patchHeatmap.Length != gridSide * gridSide)
            throw new ArgumentException($"Heatmap has {patchHeatmap.Length} values; a {gridSide}x{gridSide} patch grid needs {gridSide * gridSide}.", nameof(patchHeatmap));
        if (alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be in [0, 1].");

        var normalised = Normalise(patchHeatmap);
        var upsampled = Upsample(normalised, gridSide, image.Width, image.Height);
        var output = new byte[image.Pixels.Length];
        for (int i = 0; i < upsampled.Length; i++)
        {
            var (r, g, b) = Colour(upsampled[i]);
            output[3 * i] = Blend(image.Pixels[3 * i], r, alpha);
            output[3 * i + 1] = Blend(image.Pixels[3 * i + 1], g, alpha);
            output[3 * i + 2] = Blend(image.Pixels[3 * i + 2], b, alpha);
        }
        return new RgbImage(image.Width, image.Height, output);
    }

    /// <summary>Min–max scaling to [0, 1]; a flat (or all non-finite) map becomes all zeros.</summary>
    internal static float[] Normalise(float[] values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
            if (float.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        var result = new float[values.Length];
        if (!(max > min)) return result;
        for (int i = 0; i < values.Length; i++)
            result[i] = float.IsFinite(values[i]) ? (values[i] - min) / (max - min) : 0f;
        return result;
    }

    /// <summary>Bilinear upsampling of a side×side grid to width×height with half-pixel-centre alignment.</summary>
    internal static float[] Upsample(float[] grid, int side, int width, int height)
    {
        var result = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            var (y0, y1, fy) = Source(y, height, side);
            for (int x = 0; x < width; x++)
            {
                var (x0, x1, fx) = Source(x, width, side);
                float top = grid[y0 * side + x0] * (1 - fx) + grid[y0 * side + x1] * fx;
                float bottom = grid[y1 * side + x0] * (1 - fx) + grid[y1 * side + x1] * fx;
                result[y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return result;
    }

    private static (int Lo, int Hi, float Frac) Source(int dst, int dstSize, int srcSize)
    {
        float s = Math.Max((dst + 0.5f) * srcSize / dstSize - 0.5f, 0f);
        int lo = Math.Min((int)s, srcSize - 1);
        int hi = Math.Min(lo + 1, srcSize - 1);
        return (lo, hi, s - lo);
    }

    internal static (float R, float G, float B) Colour(float t)
    {
        t = Math.Clamp(t, 0f, 1f);
        for (int i = 1; i < Colormap.Length; i++)
        {
            var (s1, r1, g1, b1) = Colormap[i];
            if (t <= s1)
            {
                var (s0, r0, g0, b0) = Colormap[i - 1];
                float f = (t - s0) / (s1 - s0);
                return (r0 + (r1 - r0) * f, g0 + (g1 - g0) * f, b0 + (b1 - b0) * f);
            }
        }
        return (1, 0, 0);
    }

    private static byte Blend(byte pixel, float colour, float alpha) =>
        (byte)Math.Clamp(MathF.Round((1 - alpha) * pixel + alpha * 255f * colour), 0, 255);
}
