using Actors.Vision.Imaging;
using Actors.World;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Labels for our plots: letters from the world's 5×7 <see cref="BitmapFont"/> (capitals), digits, '.', '-' and '+'
/// from masks of the same size here; a space advances, anything else is drawn as a space.
/// </summary>
public static class PlotText
{
    static readonly Dictionary<char, string> Marks = new()
    {
        ['0'] = ".###.#...##..###.#.###..##...#.###.",
        ['1'] = "..#...##....#....#....#....#...###.",
        ['2'] = ".###.#...#....#...#...#...#...#####",
        ['3'] = "#####...#...#.....#.....##...#.###.",
        ['4'] = "...#...##..#.#.#..#.#####...#....#.",
        ['5'] = "######....####.....#....##...#.###.",
        ['6'] = "..##..#...#....####.#...##...#.###.",
        ['7'] = "#####....#...#...#...#....#....#...",
        ['8'] = ".###.#...##...#.###.#...##...#.###.",
        ['9'] = ".###.#...##...#.####....#...#..##..",
        ['.'] = "..........................##...##..",
        ['-'] = "................###................",
        ['+'] = "............#...###...#............",
    };

    public static void Draw(RgbImage image, string text, int x, int y, int scale, (byte R, byte G, byte B) ink)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int left = x + i * BitmapFont.Advance * scale;
            if (char.IsAsciiLetter(c)) { BitmapFont.Draw(image, c.ToString(), left, y, scale, ink); continue; }
            if (!Marks.TryGetValue(c, out var mask)) continue;
            for (int gy = 0; gy < BitmapFont.GlyphHeight; gy++)
                for (int gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                    if (mask[gy * BitmapFont.GlyphWidth + gx] == '#')
                        Fill(image, left + gx * scale, y + gy * scale, scale, scale, ink);
        }
    }

    public static int Width(string text, int scale) => BitmapFont.Measure(text, scale).Width;

    /// <summary>Fills a rectangle, clipped to the image.</summary>
    public static void Fill(RgbImage image, int x, int y, int width, int height, (byte R, byte G, byte B) colour)
    {
        for (int py = Math.Max(0, y); py < Math.Min(image.Height, y + height); py++)
            for (int px = Math.Max(0, x); px < Math.Min(image.Width, x + width); px++)
            {
                int o = image.Offset(px, py);
                (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]) = colour;
            }
    }
}
