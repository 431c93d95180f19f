using Actors.Vision.Imaging;

namespace Actors.World;

/// <summary>
/// Renders a scene from its factors: background, then the object (anti-aliased by 4×4 supersampling of the shape's
/// inside test), then the optional word in black capitals on a white label, placed in the band (top or bottom)
/// away from the object so the object stays visible. Pure function of the factors and size.
/// </summary>
public static class SceneRenderer
{
    public const int Supersampling = 4;
    public static readonly (byte R, byte G, byte B) LabelPaper = (255, 255, 255), LabelInk = (0, 0, 0);

    public static RgbImage Render(SceneFactors factors, int size = 64)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        var image = BackgroundPainter.Paint(factors.Background, size, factors.Variation);
        var coverage = ObjectCoverage(factors, size);
        var (r, g, b) = WorldPalette.Rgb(factors.Colour);
        for (int i = 0; i < coverage.Length; i++)
        {
            float a = coverage[i];
            if (a == 0) continue;
            image.Pixels[3 * i] = Mix(image.Pixels[3 * i], r, a);
            image.Pixels[3 * i + 1] = Mix(image.Pixels[3 * i + 1], g, a);
            image.Pixels[3 * i + 2] = Mix(image.Pixels[3 * i + 2], b, a);
        }
        if (factors.Word is { Length: > 0 } word)
            DrawLabel(image, word, LabelBox(factors, size));
        return image;
    }

    /// <summary>Object centre and radius in pixels: radius from the size, centre at the 3×3 cell kept inside the image.</summary>
    public static (double X, double Y, double Radius) Placement(SceneFactors f, int size)
    {
        double radius = size * (f.Size == ObjectSize.Small ? 0.16 : 0.28);
        double margin = radius + size * 0.03;
        int col = (int)f.Position % 3, row = (int)f.Position / 3;
        double step = (size - 2 * margin) / 2;
        return (margin + col * step, margin + row * step, radius);
    }

    /// <summary>Fraction of each pixel (row-major) covered by the object, from 4×4 subsamples.</summary>
    public static float[] ObjectCoverage(SceneFactors f, int size)
    {
        var (cx, cy, radius) = Placement(f, size);
        var coverage = new float[size * size];
        int x0 = Math.Max(0, (int)(cx - radius) - 1), x1 = Math.Min(size - 1, (int)(cx + radius) + 1);
        int y0 = Math.Max(0, (int)(cy - radius) - 1), y1 = Math.Min(size - 1, (int)(cy + radius) + 1);
        const int n = Supersampling;
        for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
        {
            int hits = 0;
            for (int sy = 0; sy < n; sy++)
            for (int sx = 0; sx < n; sx++)
            {
                double u = (x + (sx + 0.5) / n - cx) / radius, v = (y + (sy + 0.5) / n - cy) / radius;
                if (ShapeGeometry.Inside(f.Shape, u, v)) hits++;
            }
            coverage[y * size + x] = hits / (float)(n * n);
        }
        return coverage;
    }

    /// <summary>Text scale: 2 when the word fits at double size, else 1.</summary>
    public static int WordScale(string word, int size) =>
        BitmapFont.Measure(word, 2).Width + 4 <= size ? 2 : 1;

    /// <summary>The white label rectangle (x, y, width, height) for the scene's word; the word must fit the image.</summary>
    public static (int X, int Y, int Width, int Height) LabelBox(SceneFactors f, int size)
    {
        string word = f.Word ?? throw new ArgumentException("The scene has no word.");
        if (word.Length == 0 || word.Any(c => c is < 'a' or > 'z'))
            throw new ArgumentException($"Written words must be lower-case letters a–z; got '{word}'.");
        int scale = WordScale(word, size);
        var (w, h) = BitmapFont.Measure(word, scale);
        int boxW = w + 4, boxH = h + 4;
        if (boxW > size)
            throw new ArgumentException($"The word '{word}' ({boxW} px with its label) does not fit a {size} px scene.");
        var (_, cy, _) = Placement(f, size);
        int y = cy > size / 2.0 ? 1 : size - boxH - 1;
        return ((size - boxW) / 2, y, boxW, boxH);
    }

    private static void DrawLabel(RgbImage image, string word, (int X, int Y, int Width, int Height) box)
    {
        for (int y = box.Y; y < box.Y + box.Height; y++)
        for (int x = box.X; x < box.X + box.Width; x++)
            BitmapFont.SetPixel(image, x, y, LabelPaper);
        BitmapFont.Draw(image, word, box.X + 2, box.Y + 2, WordScale(word, image.Width), LabelInk);
    }

    private static byte Mix(byte background, byte colour, float a) =>
        (byte)Math.Clamp(MathF.Round(background + (colour - background) * a), 0, 255);
}
