using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class PlainPngTests
{
    const int MaxSide = 64;
    static readonly RgbImage Image = TestImages.Random(40, 30, seed: 7);
    static byte[] Plain() => TestImages.Png(Image.Width, Image.Height, colourType: 2, Image.Pixels);

    [Fact]
    public void APlainRgbPngWithinTheSizeIsItsOwnThumbnail()
    {
        var file = Plain();
        Assert.True(PlainPng.IsOwnThumbnail(file, MaxSide));
        var decoded = ImageCodec.Decode(file, "plain.png");
        var thumbnail = ImageCodec.ThumbnailPng(file, decoded, MaxSide);
        Assert.Same(file, thumbnail);
        Assert.Equal(Image.Pixels, ImageCodec.Decode(thumbnail, "thumb.png").Pixels);
    }

    [Fact]
    public void LibvipssOwnPngsAndTheAllowedAncillaryChunksArePlain()
    {
        Assert.True(PlainPng.IsOwnThumbnail(ImageCodec.EncodePng(Image), MaxSide));
        Assert.True(PlainPng.IsOwnThumbnail(TestImages.WithChunkAfterHeader(Plain(), "pHYs", new byte[9]), MaxSide));
        Assert.True(PlainPng.IsOwnThumbnail(TestImages.WithChunkAfterHeader(Plain(), "sRGB", [0]), MaxSide));
        Assert.True(PlainPng.IsOwnThumbnail(Plain(), Math.Max(Image.Width, Image.Height)));
    }

    public static TheoryData<string> NotPlain() => new()
    {
        "grey", "rgba", "larger than the thumbnail", "text chunk", "gamma chunk", "icc profile", "interlaced", "16-bit",
        "bytes after IEND", "chunk after IDAT", "no IEND", "no IDAT", "chunk before IHDR", "far larger than its pixels", "jpeg", "empty",
    };

    [Theory]
    [MemberData(nameof(NotPlain))]
    public void AnythingElseIsReencoded(string kind)
    {
        byte[] file = kind switch
        {
            "grey" => TestImages.Png(4, 3, colourType: 0, new byte[12]),
            "rgba" => TestImages.Png(4, 3, colourType: 6, new byte[48]),
            "larger than the thumbnail" => TestImages.Png(MaxSide + 1, 2, colourType: 2, new byte[(MaxSide + 1) * 2 * 3]),
            "text chunk" => TestImages.WithChunkAfterHeader(Plain(), "tEXt", "Author\0someone"u8.ToArray()),
            "gamma chunk" => TestImages.WithChunkAfterHeader(Plain(), "gAMA", [0, 0, 0xB1, 0x8F]),
            "icc profile" => TestImages.WithChunkAfterHeader(Plain(), "iCCP", "p\0\0"u8.ToArray()),
            "interlaced" => Patched(Plain(), 8 + 8 + 12, 1),
            "16-bit" => Patched(Plain(), 8 + 8 + 8, 16),
            "bytes after IEND" => [.. Plain(), 0],
            "chunk after IDAT" => [.. Plain()[..^12], .. TestImages.WithChunkAfterHeader(Plain(), "pHYs", new byte[9])[33..54], .. Plain()[^12..]],
            "no IEND" => Plain()[..^12],
            "no IDAT" => [.. Plain()[..33], .. Plain()[^12..]],
            "chunk before IHDR" => [.. Plain()[..8], .. TestImages.WithChunkAfterHeader(Plain(), "pHYs", new byte[9])[33..54], .. Plain()[8..]],
            "far larger than its pixels" => TestImages.WithChunkAfterHeader(Plain(), "pHYs", new byte[Image.Width * Image.Height * 3 + 5000]),
            "jpeg" => ImageCodec.EncodeJpeg(Image),
            _ => [],
        };
        Assert.False(PlainPng.IsOwnThumbnail(file, MaxSide), kind);
    }

    [Fact]
    public void AReencodedThumbnailHoldsTheDecodedPixels()
    {
        var file = TestImages.WithChunkAfterHeader(Plain(), "tEXt", "Comment\0private"u8.ToArray());
        var decoded = ImageCodec.Decode(file, "text.png");
        var thumbnail = ImageCodec.ThumbnailPng(file, decoded, MaxSide);
        Assert.NotEqual(file, thumbnail);
        Assert.Equal(Image.Pixels, ImageCodec.Decode(thumbnail, "thumb.png").Pixels);
        Assert.True(PlainPng.IsOwnThumbnail(thumbnail, MaxSide));
    }

    /// <summary>A copy with one byte changed (header fields; the CRC is not checked by the layout test).</summary>
    static byte[] Patched(byte[] file, int at, byte value)
    {
        var copy = (byte[])file.Clone();
        copy[at] = value;
        return copy;
    }
}
