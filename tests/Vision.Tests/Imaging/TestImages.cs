using System.IO.Compression;
using System.Text;
using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

/// <summary>Test fixtures: seeded random images and a minimal PNG writer independent of libvips (grey/alpha PNGs).</summary>
internal static class TestImages
{
    public static RgbImage Random(int width, int height, int seed)
    {
        var rng = new System.Random(seed);
        var px = new byte[width * height * 3];
        rng.NextBytes(px);
        return new RgbImage(width, height, px);
    }

    /// <summary>A smooth gradient (JPEG-friendly) image.</summary>
    public static RgbImage Gradient(int width, int height)
    {
        var img = RgbImage.Blank(width, height);
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int o = img.Offset(x, y);
            img.Pixels[o] = (byte)(255 * x / Math.Max(1, width - 1));
            img.Pixels[o + 1] = (byte)(255 * y / Math.Max(1, height - 1));
            img.Pixels[o + 2] = 128;
        }
        return img;
    }

    /// <summary>Writes an 8-bit PNG of the given colour type (0 grey, 2 RGB, 4 grey+alpha, 6 RGBA), no filtering.</summary>
    public static byte[] Png(int width, int height, int colourType, byte[] samples)
    {
        int channels = colourType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new ArgumentException("colour type") };
        if (samples.Length != width * height * channels) throw new ArgumentException("sample count");
        using var ms = new MemoryStream();
        ms.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        WriteBE(ihdr, 0, width);
        WriteBE(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = (byte)colourType;
        Chunk(ms, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0);
                    z.Write(samples, y * width * channels, width * channels);
                }
            Chunk(ms, "IDAT", raw.ToArray());
        }
        Chunk(ms, "IEND", Array.Empty<byte>());
        return ms.ToArray();
    }

    /// <summary><paramref name="png"/> with one more chunk (CRC included) inserted right after its IHDR.</summary>
    public static byte[] WithChunkAfterHeader(byte[] png, string type, byte[] data)
    {
        const int afterHeader = 8 + 12 + 13;
        using var ms = new MemoryStream();
        ms.Write(png, 0, afterHeader);
        Chunk(ms, type, data);
        ms.Write(png, afterHeader, png.Length - afterHeader);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        WriteBE(len, 0, data.Length);
        s.Write(len);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typeAndData);
        var crc = new byte[4];
        WriteBE(crc, 0, (int)Crc32(typeAndData));
        s.Write(crc);
    }

    private static void WriteBE(byte[] b, int o, int v)
    {
        b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v;
    }

    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "actors-imaging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
