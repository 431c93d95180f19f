using Actors.Vision.Imaging;

namespace Actors.World;

/// <summary>
/// Our own 5×7 bitmap font for A–Z (one column of spacing between glyphs), drawn at an integer scale.
/// Words are written in capitals whatever case they are given in.
/// </summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5, GlyphHeight = 7, Advance = 6;

    // Row-major 5×7 ink masks, one string of 35 cells per letter.
    private static readonly string[] Glyphs =
    [
        ".###.#...##...#######...##...##...#", // A
        "####.#...##...#####.#...##...#####.", // B
        ".###.#...##....#....#....#...#.###.", // C
        "####.#...##...##...##...##...#####.", // D
        "######....#....####.#....#....#####", // E
        "######....#....####.#....#....#....", // F
        ".###.#...##....#.####...##...#.####", // G
        "#...##...##...#######...##...##...#", // H
        ".###...#....#....#....#....#...###.", // I
        "..###...#....#....#....#.#..#..##..", // J
        "#...##..#.#.#..##...#.#..#..#.#...#", // K
        "#....#....#....#....#....#....#####", // L
        "#...###.###.#.##.#.##...##...##...#", // M
        "#...##...###..##.#.##..###...##...#", // N
        ".###.#...##...##...##...##...#.###.", // O
        "####.#...##...#####.#....#....#....", // P
        ".###.#...##...##...##.#.##..#..##.#", // Q
        "####.#...##...#####.#.#..#..#.#...#", // R
        ".#####....#.....###.....#....#####.", // S
        "#####..#....#....#....#....#....#..", // T
        "#...##...##...##...##...##...#.###.", // U
        "#...##...##...##...##...#.#.#...#..", // V
        "#...##...##...##.#.##.#.##.#.#.#.#.", // W
        "#...##...#.#.#...#...#.#.#...##...#", // X
        "#...##...#.#.#...#....#....#....#..", // Y
        "#####....#...#...#...#...#....#####", // Z
    ];

    /// <summary>Whether the pixel (x, y) of the glyph for <paramref name="letter"/> (A–Z, any case) is ink.</summary>
    public static bool Ink(char letter, int x, int y)
    {
        char c = char.ToUpperInvariant(letter);
        if (c is < 'A' or > 'Z') throw new ArgumentException($"The world font has only A–Z; got '{letter}'.", nameof(letter));
        if ((uint)x >= GlyphWidth || (uint)y >= GlyphHeight) return false;
        return Glyphs[c - 'A'][y * GlyphWidth + x] == '#';
    }

    /// <summary>Pixel size of <paramref name="text"/> at <paramref name="scale"/> (no trailing spacing).</summary>
    public static (int Width, int Height) Measure(string text, int scale) =>
        (text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale, GlyphHeight * scale);

    /// <summary>Draws <paramref name="text"/> with its top-left at (x, y); pixels outside the image are clipped.</summary>
    public static void Draw(RgbImage image, string text, int x, int y, int scale, (byte R, byte G, byte B) ink)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        for (int i = 0; i < text.Length; i++)
        for (int gy = 0; gy < GlyphHeight; gy++)
        for (int gx = 0; gx < GlyphWidth; gx++)
        {
            if (!Ink(text[i], gx, gy)) continue;
            int px0 = x + (i * Advance + gx) * scale, py0 = y + gy * scale;
            for (int sy = 0; sy < scale; sy++)
            for (int sx = 0; sx < scale; sx++)
                SetPixel(image, px0 + sx, py0 + sy, ink);
        }
    }

    internal static void SetPixel(RgbImage image, int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x >= image.Width || (uint)y >= image.Height) return;
        int o = image.Offset(x, y);
        image.Pixels[o] = c.R;
        image.Pixels[o + 1] = c.G;
        image.Pixels[o + 2] = c.B;
    }
}
