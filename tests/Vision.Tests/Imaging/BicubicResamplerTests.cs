using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class BicubicResamplerTests
{
    /// <summary>
    /// Independent reference: for every output pixel, weights straight from the kernel formula over ALL input pixels
    /// (no windows, no fixed point), in double. Like Pillow it resizes horizontally, rounds to uint8, then vertically.
    /// </summary>
    private static RgbImage Reference(RgbImage img, int outW, int outH)
    {
        var mid = img.Width == outW ? img : ReferenceAxis(img, outW, horizontal: true);
        return img.Height == outH ? mid : ReferenceAxis(mid, outH, horizontal: false);
    }

    private static RgbImage ReferenceAxis(RgbImage img, int outSize, bool horizontal)
    {
        int inSize = horizontal ? img.Width : img.Height;
        int w = horizontal ? outSize : img.Width, h = horizontal ? img.Height : outSize;
        var result = RgbImage.Blank(w, h);
        double scale = (double)inSize / outSize, stretch = Math.Max(1.0, scale);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int o = horizontal ? x : y;
            double center = (o + 0.5) * scale;
            double sum = 0, r = 0, g = 0, b = 0;
            for (int i = 0; i < inSize; i++)
            {
                double wt = BicubicResampler.Kernel((i + 0.5 - center) / stretch);
                var (pr, pg, pb) = horizontal ? img.GetPixel(i, y) : img.GetPixel(x, i);
                sum += wt; r += wt * pr; g += wt * pg; b += wt * pb;
            }
            int d = result.Offset(x, y);
            result.Pixels[d] = ToByte(r / sum);
            result.Pixels[d + 1] = ToByte(g / sum);
            result.Pixels[d + 2] = ToByte(b / sum);
        }
        return result;
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Floor(v + 0.5), 0, 255);

    [Theory]
    [InlineData(37, 23, 11, 7)]    // downscale, both axes
    [InlineData(5, 4, 13, 9)]      // upscale, both axes
    [InlineData(40, 30, 40, 17)]   // vertical only
    [InlineData(30, 20, 61, 20)]   // horizontal only
    [InlineData(300, 200, 336, 224)] // CLIP-like shortest-edge resize
    [InlineData(64, 64, 224, 224)]
    [InlineData(97, 3, 7, 1)]
    public void MatchesTheDirectFormulaReference(int inW, int inH, int outW, int outH)
    {
        var img = TestImages.Random(inW, inH, seed: inW * 1000 + outW);
        var fast = BicubicResampler.Resize(img, outW, outH);
        var slow = Reference(img, outW, outH);
        Assert.Equal((outW, outH), (fast.Width, fast.Height));
        int maxDiff = 0, exact = 0;
        for (int i = 0; i < fast.Pixels.Length; i++)
        {
            int d = Math.Abs(fast.Pixels[i] - slow.Pixels[i]);
            maxDiff = Math.Max(maxDiff, d);
            if (d == 0) exact++;
        }
        // Only 22-bit fixed-point weights separate the two; they can flip a rounding tie, never more.
        Assert.True(maxDiff <= 1, $"max |diff| = {maxDiff}");
        Assert.True(exact >= 0.99 * fast.Pixels.Length, $"exact {exact}/{fast.Pixels.Length}");
    }

    [Fact]
    public void KernelMatchesKeysCubicWithAMinusHalf()
    {
        Assert.Equal(1.0, BicubicResampler.Kernel(0));
        Assert.Equal(0.0, BicubicResampler.Kernel(1));
        Assert.Equal(0.0, BicubicResampler.Kernel(2));
        Assert.Equal(0.0, BicubicResampler.Kernel(2.5));
        Assert.Equal(0.5625, BicubicResampler.Kernel(0.5), 12);   // 1.5·.125 − 2.5·.25 + 1
        Assert.Equal(-0.0625, BicubicResampler.Kernel(-1.5), 12); // −0.5·(−3.375+18−12−4)
    }

    [Fact]
    public void UpscalingTwoPixelsToFourMatchesHandComputation()
    {
        // Hand computation: weights at centre 0.75 are K(−0.25)=0.8671875, K(0.75)=0.2265625 → 255·0.22656/1.09375 = 52.8 → 53;
        // at centre 0.25: K(0.25), K(1.25)=−0.0703125 → negative → clamps to 0. Symmetric on the right.
        var img = new RgbImage(2, 1, [0, 0, 0, 255, 255, 255]);
        var up = BicubicResampler.Resize(img, 4, 1);
        Assert.Equal(new byte[] { 0, 53, 202, 255 }, up.Pixels.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Fact]
    public void DownscalingWidensTheKernelLikePillow()
    {
        // 4 → 2: scale 2, support 4, weights K((i+0.5−c)/2). Output 0: (0.2265625 − 0.0703125)/1.890625·255 = 21.07 → 21.
        var img = new RgbImage(4, 1, [0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]);
        var down = BicubicResampler.Resize(img, 2, 1);
        Assert.Equal(new byte[] { 21, 234 }, down.Pixels.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Fact]
    public void ConstantImagesStayConstant()
    {
        var img = new RgbImage(9, 7, Enumerable.Range(0, 63).SelectMany(_ => new byte[] { 10, 128, 250 }).ToArray());
        foreach (var (w, h) in new[] { (3, 2), (20, 31), (9, 1) })
        {
            var r = BicubicResampler.Resize(img, w, h);
            for (int i = 0; i < r.Pixels.Length; i += 3)
                Assert.Equal(new byte[] { 10, 128, 250 }, r.Pixels[i..(i + 3)]);
        }
    }

    [Fact]
    public void SameSizeIsACopy()
    {
        var img = TestImages.Random(5, 5, 9);
        Assert.Equal(img.Pixels, BicubicResampler.Resize(img, 5, 5).Pixels);
    }
}
