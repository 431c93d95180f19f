namespace Actors.Vision.Imaging;

/// <summary>An 8-bit RGB image, pixels in row-major HWC order (R, G, B per pixel, rows top to bottom).</summary>
public sealed record RgbImage
{
    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public RgbImage(int Width, int Height, byte[] Pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height);
        ArgumentNullException.ThrowIfNull(Pixels);
        if (Pixels.LongLength != (long)Width * Height * 3)
            throw new ArgumentException(
                $"RgbImage {Width}x{Height} needs {(long)Width * Height * 3} bytes (HWC RGB8) but got {Pixels.LongLength}.",
                nameof(Pixels));
        this.Width = Width;
        this.Height = Height;
        this.Pixels = Pixels;
    }

    /// <summary>Creates a black image of the given size.</summary>
    public static RgbImage Blank(int width, int height) => new(width, height, new byte[checked(width * height * 3)]);

    public int Offset(int x, int y) => (y * Width + x) * 3;

    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        int o = Offset(x, y);
        return (Pixels[o], Pixels[o + 1], Pixels[o + 2]);
    }

    public void Deconstruct(out int width, out int height, out byte[] pixels)
    {
        width = Width;
        height = Height;
        pixels = Pixels;
    }
}
