using Actors.Vision.Imaging;

namespace Actors.World.Tests;

public sealed class BitmapFontTests
{
    private static string Glyph(char c) => string.Concat(Enumerable.Range(0, 35).Select(i => BitmapFont.Ink(c, i % 5, i / 5) ? '#' : '.'));

    [Fact]
    public void GlyphsHaveTheDrawnShapes()
    {
        Assert.Equal("#...#" + "#...#" + "#...#" + "#####" + "#...#" + "#...#" + "#...#", Glyph('H'));
        Assert.Equal("#####" + "..#.." + "..#.." + "..#.." + "..#.." + "..#.." + "..#..", Glyph('T'));
        Assert.Equal(Glyph('L'), Glyph('l'));
    }

    [Fact]
    public void AllTwentySixLettersAreDistinctAndInked()
    {
        var glyphs = Enumerable.Range('A', 26).Select(c => Glyph((char)c)).ToList();
        Assert.Equal(26, glyphs.Distinct().Count());
        Assert.All(glyphs, g => Assert.InRange(g.Count(ch => ch == '#'), 9, 25));
    }

    [Fact]
    public void DrawScalesGlyphsAndMeasureGivesTheInkExtent()
    {
        var img = RgbImage.Blank(40, 20);
        BitmapFont.Draw(img, "IT", 1, 2, 2, (255, 255, 255));
        int minX = int.MaxValue, maxX = -1, minY = int.MaxValue, maxY = -1;
        for (int y = 0; y < 20; y++)
        for (int x = 0; x < 40; x++)
            if (img.GetPixel(x, y).R == 255) { minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y); }
        var (w, h) = BitmapFont.Measure("IT", 2);
        Assert.Equal((22, 14), (w, h));
        Assert.Equal((1 + 2, 2), (minX, minY)); // 'I' has no ink in column 0 ('.###.')
        Assert.Equal((1 + w - 1, 2 + h - 1), (maxX, maxY));
        // A 2×2 block per font pixel: the top-left 'I' bar starts at glyph column 1.
        Assert.Equal(255, img.GetPixel(3, 2).R);
        Assert.Equal(255, img.GetPixel(4, 3).R);
        Assert.Equal(0, img.GetPixel(1, 2).R);
    }

    [Fact]
    public void NonLettersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => BitmapFont.Ink('1', 0, 0));
    }
}
