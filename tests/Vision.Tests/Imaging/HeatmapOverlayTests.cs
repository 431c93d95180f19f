using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class HeatmapOverlayTests
{
    [Fact]
    public void OverlayKeepsTheImageShapeAndTheHottestPatchIsReddest()
    {
        var grey = new RgbImage(77, 77, Enumerable.Repeat((byte)128, 77 * 77 * 3).ToArray());
        var heat = new float[7 * 7];
        for (int i = 0; i < heat.Length; i++) heat[i] = 0.1f * (i % 3);
        heat[2 * 7 + 5] = 9f; // row 2, column 5 → pixels x∈[55,66), y∈[22,33), centre (60, 27)
        var overlay = HeatmapOverlay.Render(grey, heat, 7);
        Assert.Equal((77, 77), (overlay.Width, overlay.Height));
        int bestX = -1, bestY = -1, best = int.MinValue;
        for (int y = 0; y < 77; y++)
        for (int x = 0; x < 77; x++)
        {
            var (r, g, b) = overlay.GetPixel(x, y);
            int redness = r - Math.Max(g, b);
            if (redness > best) { best = redness; bestX = x; bestY = y; }
        }
        Assert.InRange(bestX, 55, 65);
        Assert.InRange(bestY, 22, 32);
        // The centre of the hot patch is pure heat colour (red) blended 50/50 with grey.
        Assert.Equal(((byte)192, (byte)64, (byte)64), overlay.GetPixel(60, 27));
    }

    [Fact]
    public void BilinearUpsamplingMatchesHandValues()
    {
        // 2×2 grid [0 1; 2 3] to 4×4 with half-pixel centres: source x for dst 1 is (1.5·2/4 − 0.5) = 0.25.
        var up = HeatmapOverlay.Upsample([0, 1, 2, 3], 2, 4, 4);
        Assert.Equal(0f, up[0]);                         // clamped corner
        Assert.Equal(0.25f, up[1], 6);                    // x = 0.25, y clamped to 0
        Assert.Equal(0.25f + 2 * 0.25f, up[1 * 4 + 1], 6); // x = y = 0.25
        Assert.Equal(3f, up[15]);
    }

    [Fact]
    public void ColormapRunsFromBlueToRed()
    {
        Assert.Equal((0f, 0f, 1f), HeatmapOverlay.Colour(0));
        Assert.Equal((0f, 1f, 0f), HeatmapOverlay.Colour(0.5f));
        Assert.Equal((1f, 0f, 0f), HeatmapOverlay.Colour(1));
    }

    [Fact]
    public void WrongHeatmapLengthIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => HeatmapOverlay.Render(RgbImage.Blank(4, 4), new float[10], 3));
        Assert.Contains("3x3", ex.Message);
    }
}
