namespace Actors.Vision.Imaging;

/// <summary>
/// Resizes RGB8 images exactly as Pillow's <c>Image.resize(size, Image.BICUBIC)</c> does (libImaging/Resample.c):
/// cubic convolution with a = −0.5 (Keys 1981), separable (horizontal pass, then vertical), with the kernel's support
/// widened by the downscale factor (antialiasing), coefficients normalised to sum 1, converted to 22-bit fixed point,
/// and the intermediate and final results rounded and clamped to uint8. CLIP's reference preprocessing (OpenAI,
/// OpenCLIP, transformers) goes through exactly this code, so matching it bit-for-bit matters for parity.
/// </summary>
public static class BicubicResampler
{
    /// <summary>Pillow's support radius of the bicubic filter (input pixels, before scaling).</summary>
    public const double Support = 2.0;

    /// <summary>Fixed-point precision Pillow uses for 8-bit images: 32 − 8 − 2 bits.</summary>
    internal const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Keys' cubic convolution kernel with a = −0.5 (Pillow's bicubic_filter).</summary>
    public static double Kernel(double x)
    {
        const double a = -0.5;
        if (x < 0) x = -x;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /// <summary>Resizes <paramref name="image"/> to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == image.Width && height == image.Height)
            return new RgbImage(width, height, (byte[])image.Pixels.Clone());

        var horizontal = Coefficients.Compute(image.Width, width);
        var vertical = Coefficients.Compute(image.Height, height);
        RgbImage current = image;
        if (width != image.Width)
            current = ResampleHorizontal(current, horizontal);
        if (height != image.Height)
            current = ResampleVertical(current, vertical);
        return current;
    }

    /// <summary>
    /// Per-output-pixel filter windows for one axis (Pillow's precompute_coeffs + normalize_coeffs_8bpc):
    /// window start <c>Min[i]</c>, length <c>Count[i]</c>, fixed-point weights <c>Weights[i*KernelSize + j]</c>.
    /// </summary>
    internal sealed class Coefficients
    {
        public required int KernelSize { get; init; }
        public required int[] Min { get; init; }
        public required int[] Count { get; init; }
        public required int[] Weights { get; init; }

        public static Coefficients Compute(int inSize, int outSize)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0); // widen the kernel when shrinking (antialiasing)
            double support = Support * filterScale;
            int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
            var min = new int[outSize];
            var count = new int[outSize];
            var weights = new int[outSize * kernelSize];
            var w = new double[kernelSize];
            double inverseScale = 1.0 / filterScale; // multiply by the reciprocal as Pillow does (same rounding)
            for (int i = 0; i < outSize; i++)
            {
                double center = (i + 0.5) * scale;
                // C's (int) cast truncates toward zero; Pillow relies on that before clamping.
                int xmin = Math.Max((int)(center - support + 0.5), 0);
                int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
                double sum = 0;
                for (int j = 0; j < xmax; j++)
                {
                    w[j] = Kernel((j + xmin - center + 0.5) * inverseScale);
                    sum += w[j];
                }
                for (int j = 0; j < xmax; j++)
                {
                    double normalised = sum != 0 ? w[j] / sum : w[j];
                    double fixedPoint = normalised * (1 << PrecisionBits);
                    weights[i * kernelSize + j] = (int)(normalised < 0 ? fixedPoint - 0.5 : fixedPoint + 0.5);
                }
                min[i] = xmin;
                count[i] = xmax;
            }
            return new Coefficients { KernelSize = kernelSize, Min = min, Count = count, Weights = weights };
        }
    }

    /// <summary>Pillow's clip8: arithmetic shift out the fraction, clamp to [0, 255].</summary>
    private static byte Clip8(int accumulator) => (byte)Math.Clamp(accumulator >> PrecisionBits, 0, 255);

    private static RgbImage ResampleHorizontal(RgbImage input, Coefficients c)
    {
        int outWidth = c.Min.Length, height = input.Height, inWidth = input.Width;
        var src = input.Pixels;
        var dst = new byte[outWidth * height * 3];
        const int half = 1 << (PrecisionBits - 1);
        for (int y = 0; y < height; y++)
        {
            int row = y * inWidth * 3;
            for (int x = 0; x < outWidth; x++)
            {
                int k0 = x * c.KernelSize, xmin = c.Min[x], n = c.Count[x];
                int r = half, g = half, b = half;
                for (int j = 0; j < n; j++)
                {
                    int k = c.Weights[k0 + j];
                    int s = row + (xmin + j) * 3;
                    r += src[s] * k;
                    g += src[s + 1] * k;
                    b += src[s + 2] * k;
                }
                int d = (y * outWidth + x) * 3;
                dst[d] = Clip8(r);
                dst[d + 1] = Clip8(g);
                dst[d + 2] = Clip8(b);
            }
        }
        return new RgbImage(outWidth, height, dst);
    }

    private static RgbImage ResampleVertical(RgbImage input, Coefficients c)
    {
        int outHeight = c.Min.Length, width = input.Width;
        var src = input.Pixels;
        var dst = new byte[width * outHeight * 3];
        int stride = width * 3;
        const int half = 1 << (PrecisionBits - 1);
        var acc = new int[stride];
        for (int y = 0; y < outHeight; y++)
        {
            int k0 = y * c.KernelSize, ymin = c.Min[y], n = c.Count[y];
            Array.Fill(acc, half);
            // Row-at-a-time accumulation: same sums as Pillow's per-pixel loop (integer addition is exact).
            for (int j = 0; j < n; j++)
            {
                int k = c.Weights[k0 + j];
                int s = (ymin + j) * stride;
                for (int i = 0; i < stride; i++) acc[i] += src[s + i] * k;
            }
            int d = y * stride;
            for (int i = 0; i < stride; i++) dst[d + i] = Clip8(acc[i]);
        }
        return new RgbImage(width, outHeight, dst);
    }
}
