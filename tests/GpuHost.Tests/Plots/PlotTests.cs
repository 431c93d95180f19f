using Actors.GpuHost.Plots;
using Actors.Vision.Imaging;
using Actors.World;

namespace Actors.GpuHost.Tests.Plots;

/// <summary>The plot rasterizer: glyphs, ticks, and where a chart puts its data, read back from the decoded PNG.</summary>
public sealed class PlotTests
{
    [Fact]
    public void LettersAreTheWorldFontsAndDigitsHaveGlyphsOfTheirOwn()
    {
        for (int y = 0; y < PlotFont.GlyphHeight; y++)
            for (int x = 0; x < PlotFont.GlyphWidth; x++)
            {
                Assert.Equal(BitmapFont.Ink('Q', x, y), PlotFont.Ink('q', x, y));
                Assert.False(PlotFont.Ink(' ', x, y));
            }
        // Every digit is drawn, and no two alike.
        var digits = "0123456789".Select(c => string.Concat(Enumerable.Range(0, 35).Select(i => PlotFont.Ink(c, i % 5, i / 5) ? '#' : '.'))).ToList();
        Assert.All(digits, d => Assert.Contains('#', d));
        Assert.Equal(10, digits.Distinct().Count());
        Assert.Equal(6 * 3 - 1, PlotFont.Width("0.5"));
    }

    [Fact]
    public void TicksAreRoundStepsThatCoverTheRange()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], Ticks.Nice(0.13, 0.87));
        Assert.Equal([-10, -5, 0, 5, 10, 15], Ticks.Nice(-7, 12));
        Assert.Equal("0.25", Ticks.Format(0.25));
        Assert.Equal("0", Ticks.Format(1e-15));
    }

    [Fact]
    public void ALineChartDrawsAConstantSeriesAlongItsTickAndDecodesAsAPng()
    {
        double[] x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var png = LineChart.Render([new LinePanel("TEST", "STEP", "Y", [
            new LineSeries("ONE", x, [.. x.Select(_ => 1.0)]), new LineSeries("HALF", x, [.. x.Select(_ => 0.5)]),
            new LineSeries("ZERO", x, [.. x.Select(_ => 0.0)])])]);
        var image = ImageCodec.Decode(png, "chart.png");
        Assert.Equal(380, image.Width);
        // Ticks 0..1 over rows 34..233: y = 1 is row 34, y = 0.5 row 233 − round(99.5) = 133; x spans columns 60..359.
        var one = Rgb.Series(0);
        var half = Rgb.Series(1);
        Assert.Equal((one.R, one.G, one.B), image.GetPixel(60 + 150, 34));
        Assert.Equal((half.R, half.G, half.B), image.GetPixel(60 + 150, 133));
        Assert.Equal((255, 255, 255), ((int)image.GetPixel(60 + 150, 34 + 50).R, (int)image.GetPixel(60 + 150, 34 + 50).G, (int)image.GetPixel(60 + 150, 34 + 50).B));
    }

    [Fact]
    public void ABarRisesFromZeroToItsValueInItsSeriesColour()
    {
        var png = BarChart.Render(new BarPanel("BARS", "N", ["COUNT"], [new BarGroup("#1", [10]), new BarGroup("#2", [5])]));
        var image = ImageCodec.Decode(png, "bars.png");
        var colour = Rgb.Series(0);
        // Ticks 0..10 over rows 34..233; group 1's bar starts 14 px into the plot (column 74), group 2's 14 + 10 + 14 further.
        Assert.Equal((colour.R, colour.G, colour.B), image.GetPixel(74 + 4, 40));
        Assert.Equal((colour.R, colour.G, colour.B), image.GetPixel(74 + 24 + 4, 200));
        Assert.Equal((255, 255, 255), ((int)image.GetPixel(74 + 24 + 4, 60).R, (int)image.GetPixel(74 + 24 + 4, 60).G, (int)image.GetPixel(74 + 24 + 4, 60).B));
    }
}
