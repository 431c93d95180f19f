using Actors.Vision.Imaging;

namespace Actors.GpuHost.Plots;

/// <summary>
/// A white RGB raster that plots draw on: pixels, filled rectangles, lines of a given thickness (Bresenham with a square
/// brush), dashed horizontal lines and <see cref="PlotFont"/> text. Everything outside the image is clipped.
/// </summary>
public sealed class Canvas
{
    public Canvas(int width, int height)
    {
        Image = RgbImage.Blank(width, height);
        Array.Fill(Image.Pixels, (byte)255);
    }

    public RgbImage Image { get; }
    public int Width => Image.Width;
    public int Height => Image.Height;

    public byte[] ToPng() => ImageCodec.EncodePng(Image);

    public void Set(int x, int y, Rgb c)
    {
        if ((uint)x >= Width || (uint)y >= Height) return;
        int o = Image.Offset(x, y);
        (Image.Pixels[o], Image.Pixels[o + 1], Image.Pixels[o + 2]) = (c.R, c.G, c.B);
    }

    /// <summary>Fills [x0, x1) × [y0, y1).</summary>
    public void Fill(int x0, int y0, int x1, int y1, Rgb c)
    {
        for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++) Set(x, y, c);
    }

    /// <summary>A line from (x0, y0) to (x1, y1), <paramref name="thickness"/> pixels wide.</summary>
    public void Line(int x0, int y0, int x1, int y1, Rgb c, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        int before = (thickness - 1) / 2;
        while (true)
        {
            Fill(x0 - before, y0 - before, x0 - before + thickness, y0 - before + thickness, c);
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>A horizontal dashed line at row <paramref name="y"/> from x0 to x1 (dashes of 4, gaps of 3).</summary>
    public void DashedLine(int x0, int x1, int y, Rgb c)
    {
        for (int x = Math.Min(x0, x1); x <= Math.Max(x0, x1); x++)
            if ((x - x0) % 7 < 4) Set(x, y, c);
    }

    /// <summary>Text with its top-left at (x, y).</summary>
    public void Text(int x, int y, string text, Rgb c, int scale = 1)
    {
        for (int i = 0; i < text.Length; i++)
            for (int gy = 0; gy < PlotFont.GlyphHeight; gy++)
                for (int gx = 0; gx < PlotFont.GlyphWidth; gx++)
                    if (PlotFont.Ink(text[i], gx, gy))
                        Fill(x + (i * PlotFont.Advance + gx) * scale, y + gy * scale,
                            x + (i * PlotFont.Advance + gx + 1) * scale, y + (gy + 1) * scale, c);
    }

    /// <summary>Text centred on x.</summary>
    public void CentredText(int x, int y, string text, Rgb c, int scale = 1) => Text(x - PlotFont.Width(text, scale) / 2, y, text, c, scale);
}

/// <summary>An 8-bit RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb Black = new(0, 0, 0), Grey = new(150, 150, 150), LightGrey = new(225, 225, 225), White = new(255, 255, 255);

    /// <summary>Tableau's ten categorical colours; series i gets entry i mod 10.</summary>
    static readonly Rgb[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    public static Rgb Series(int index) => Palette[index % Palette.Length];
}
