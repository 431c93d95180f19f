using Actors.Tensors;
using Actors.Vision.Imaging;

namespace Actors.World;

/// <summary>
/// Paints the scene backgrounds. The patterned ones are neutral greys so they never look like an object colour;
/// water (blue waves) and land (green/brown noise) are the two textured "places" of the spurious split.
/// Phase, direction and noise come from the scene's variation seed.
/// </summary>
public static class BackgroundPainter
{
    public static RgbImage Paint(Background background, int size, ulong variation)
    {
        var rng = new SplitMix64(SplitMix64.Derive(variation, 0xB6));
        var image = RgbImage.Blank(size, size);
        Func<int, int, (byte, byte, byte)> pixel = background switch
        {
            Background.Plain => (_, _) => (170, 170, 170),
            Background.Stripes => Stripes(rng, size),
            Background.Dots => Dots(rng, size),
            Background.Checker => Checker(rng, size),
            Background.Water => Water(rng, size),
            Background.Land => Land(rng, size),
            _ => throw new ArgumentOutOfRangeException(nameof(background)),
        };
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            BitmapFont.SetPixel(image, x, y, pixel(x, y));
        return image;
    }

    private static Func<int, int, (byte, byte, byte)> Stripes(SplitMix64 rng, int size)
    {
        int period = Math.Max(4, size / 8 + rng.NextInt(size / 16 + 1));
        int direction = rng.NextInt(4), phase = rng.NextInt(period);
        return (x, y) =>
        {
            int t = direction switch { 0 => x, 1 => y, 2 => x + y, _ => x - y + size };
            return (t + phase) % period < period / 2 ? ((byte)205, (byte)205, (byte)205) : ((byte)125, (byte)125, (byte)125);
        };
    }

    private static Func<int, int, (byte, byte, byte)> Dots(SplitMix64 rng, int size)
    {
        int spacing = Math.Max(5, size / 8), ox = rng.NextInt(spacing), oy = rng.NextInt(spacing);
        double r = spacing * 0.25;
        return (x, y) =>
        {
            double dx = ((x + ox) % spacing) - spacing / 2.0 + 0.5, dy = ((y + oy) % spacing) - spacing / 2.0 + 0.5;
            return dx * dx + dy * dy <= r * r ? ((byte)105, (byte)105, (byte)105) : ((byte)200, (byte)200, (byte)200);
        };
    }

    private static Func<int, int, (byte, byte, byte)> Checker(SplitMix64 rng, int size)
    {
        int cell = Math.Max(4, size / 8), ox = rng.NextInt(cell), oy = rng.NextInt(cell);
        return (x, y) => ((x + ox) / cell + (y + oy) / cell) % 2 == 0
            ? ((byte)210, (byte)210, (byte)210) : ((byte)120, (byte)120, (byte)120);
    }

    private static Func<int, int, (byte, byte, byte)> Water(SplitMix64 rng, int size)
    {
        double phase = rng.NextDouble() * 2 * Math.PI, freq = 2 * Math.PI / (size / 5.0) * (0.8 + 0.4 * rng.NextDouble());
        double wobble = 2 * Math.PI / (size / 2.0), amplitude = 1.2 + rng.NextDouble();
        return (x, y) =>
        {
            double wave = 0.5 + 0.5 * Math.Sin(y * freq + amplitude * Math.Sin(x * wobble + phase) + phase);
            return (Lerp(40, 110, wave), Lerp(105, 175, wave), Lerp(185, 235, wave));
        };
    }

    private static Func<int, int, (byte, byte, byte)> Land(SplitMix64 rng, int size)
    {
        // Value noise: random values on a coarse lattice, bilinearly interpolated, plus per-pixel grain.
        int cell = Math.Max(4, size / 6), n = size / cell + 2;
        var lattice = new double[n * n];
        for (int i = 0; i < lattice.Length; i++) lattice[i] = rng.NextDouble();
        var grain = new double[size * size];
        for (int i = 0; i < grain.Length; i++) grain[i] = rng.NextDouble() - 0.5;
        return (x, y) =>
        {
            double fx = (double)x / cell, fy = (double)y / cell;
            int ix = (int)fx, iy = (int)fy;
            double tx = fx - ix, ty = fy - iy;
            double v = (lattice[iy * n + ix] * (1 - tx) + lattice[iy * n + ix + 1] * tx) * (1 - ty)
                     + (lattice[(iy + 1) * n + ix] * (1 - tx) + lattice[(iy + 1) * n + ix + 1] * tx) * ty;
            double g = grain[y * size + x] * 30;
            // Blend green grass (75,135,50) and brown soil (135,100,55).
            return (Clamp(75 + 60 * v + g), Clamp(135 - 35 * v + g), Clamp(50 + 5 * v + g * 0.5));
        };
    }

    private static byte Lerp(double a, double b, double t) => Clamp(a + (b - a) * t);
    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
