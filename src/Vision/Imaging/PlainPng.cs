using System.Buffers.Binary;

namespace Actors.Vision.Imaging;

/// <summary>
/// Recognises a PNG file that can be stored as its own thumbnail: what a re-encode of its decoded pixels would hold,
/// already. Encoding a thumbnail through libvips costs ≈ 0.5 ms of CPU even for a 64 px image (a hand-off to a libvips
/// worker thread and back), which for corpora of small images was a third of the cost of loading each one.
/// <para>
/// Plain means, by the PNG specification's layout (signature, then chunks of length, type, data and CRC): IHDR first,
/// 8-bit RGB (colour type 2), not interlaced; then IDAT chunks and IEND, which ends the file; the only other chunks
/// allowed are pHYs (pixel size) and sRGB (the colour space our decoding assumes), before the first IDAT. Anything else (alpha, grey,
/// palettes, 16 bits, gamma or ICC profiles that a browser would apply, text and other metadata that must not be
/// served on) gets a re-encode of the decoded pixels instead.
/// </para>
/// </summary>
internal static class PlainPng
{
    static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    const int IhdrLength = 13, ChunkOverhead = 12;
    /// <summary>Bytes beyond the raw pixels a plain file may take: a larger one is stored re-encoded (smaller).</summary>
    const int SlackBytes = 4096;

    /// <summary>
    /// Whether <paramref name="file"/> is a plain PNG whose longer side is at most <paramref name="maxSide"/> and whose
    /// size is at most its raw pixels' plus <see cref="SlackBytes"/>. Reads the chunk layout only: the caller has
    /// decoded the file (which checks the pixel data).
    /// </summary>
    public static bool IsOwnThumbnail(ReadOnlySpan<byte> file, int maxSide)
    {
        if (!file.StartsWith(Signature)) return false;
        int at = Signature.Length;
        bool header = false, data = false;
        while (at + ChunkOverhead <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            if (length > (uint)(file.Length - at - ChunkOverhead)) return false;
            var type = file.Slice(at + 4, 4);
            var body = file.Slice(at + 8, (int)length);
            at += ChunkOverhead + (int)length;
            if (!header)
            {
                if (!type.SequenceEqual("IHDR"u8) || !PlainHeader(body, maxSide, out long raw)) return false;
                if (file.Length > raw + SlackBytes) return false;
                header = true;
            }
            else if (type.SequenceEqual("IDAT"u8)) data = true;
            else if (type.SequenceEqual("IEND"u8)) return data && length == 0 && at == file.Length;
            else if (data || (!type.SequenceEqual("pHYs"u8) && !type.SequenceEqual("sRGB"u8))) return false;
        }
        return false;
    }

    /// <summary>IHDR of an 8-bit RGB, non-interlaced image within <paramref name="maxSide"/>; <paramref name="raw"/>: its pixel bytes.</summary>
    static bool PlainHeader(ReadOnlySpan<byte> ihdr, int maxSide, out long raw)
    {
        raw = 0;
        if (ihdr.Length != IhdrLength) return false;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(ihdr), height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        byte depth = ihdr[8], colourType = ihdr[9], compression = ihdr[10], filter = ihdr[11], interlace = ihdr[12];
        if (width == 0 || height == 0 || width > maxSide || height > maxSide) return false;
        if (depth != 8 || colourType != 2 || compression != 0 || filter != 0 || interlace != 0) return false;
        raw = (long)width * height * 3;
        return true;
    }
}
