using Actors.World;

namespace Actors.GpuHost.Plots;

/// <summary>
/// Text for plots: the world's 5×7 <see cref="BitmapFont"/> for letters (drawn in capitals), and 5×7 glyphs of our own for
/// digits and the punctuation figures need. A character neither knows is drawn as '?'.
/// </summary>
public static class PlotFont
{
    public const int GlyphWidth = BitmapFont.GlyphWidth, GlyphHeight = BitmapFont.GlyphHeight, Advance = BitmapFont.Advance;

    // Row-major 5×7 ink masks, 35 cells each.
    static readonly Dictionary<char, string> Glyphs = new()
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
        [','] = ".....................##....#...#...",
        ['-'] = "...............#####...............",
        ['+'] = ".......#....#..#####..#....#.......",
        ['±'] = "..#....#..#####..#....#.......#####",
        ['%'] = "##...##..#...#...#...#...#..##...##",
        ['('] = "...#...#...#....#....#.....#.....#.",
        [')'] = ".#.....#.....#....#....#...#...#...",
        ['/'] = ".........#...#...#...#...#.........",
        [':'] = "......##...##........##...##.......",
        ['='] = "..........#####.....#####..........",
        ['_'] = "..............................#####",
        ['#'] = ".#.#..#.#.#####.#.#.#####.#.#..#.#.",
        ['<'] = "...#...#...#...#.....#.....#.....#.",
        ['>'] = ".#.....#.....#.....#...#...#...#...",
        ['?'] = ".###.#...#....#...#...#.........#..",
        ['×'] = ".....#...#.#.#...#...#.#.#...#.....",
        ['≥'] = ".#.....#.....#...#...#........#####",
        ['≤'] = "...#...#...#.....#.....#......#####",
    };

    /// <summary>Whether pixel (x, y) of <paramref name="c"/>'s glyph is ink; a space has none.</summary>
    public static bool Ink(char c, int x, int y)
    {
        if ((uint)x >= GlyphWidth || (uint)y >= GlyphHeight || c == ' ') return false;
        if (char.IsAsciiLetter(c)) return BitmapFont.Ink(c, x, y);
        var glyph = Glyphs.TryGetValue(c, out var g) ? g : Glyphs['?'];
        return glyph[y * GlyphWidth + x] == '#';
    }

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (no trailing spacing).</summary>
    public static int Width(string text, int scale = 1) => text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;
}
