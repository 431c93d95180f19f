using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class ImageCodecTests
{
    [Fact]
    public void PngRoundTripIsExact()
    {
        var img = TestImages.Random(37, 23, seed: 1);
        var png = ImageCodec.EncodePng(img);
        Assert.Equal(0x89, png[0]);
        var back = ImageCodec.Decode(png, "roundtrip.png");
        Assert.Equal(img.Width, back.Width);
        Assert.Equal(img.Height, back.Height);
        Assert.Equal(img.Pixels, back.Pixels);
    }

    /// <summary>
    /// Images larger than libvips's tiles and strips, written by the test's own PNG writer, decode to exactly their
    /// samples, both the largest read as one region and one read through memory, so every row and column comes back in place.
    /// </summary>
    [Theory]
    [InlineData(256, 256)]
    [InlineData(1031, 717)]
    public void ALargePngDecodesToExactlyItsSamples(int width, int height)
    {
        Assert.Equal(width * height <= ImageCodec.RegionMaxPixels, width == 256);
        var img = TestImages.Random(width, height, seed: 5);
        var back = ImageCodec.Decode(TestImages.Png(img.Width, img.Height, colourType: 2, img.Pixels), "large.png");
        Assert.Equal((img.Width, img.Height), (back.Width, back.Height));
        Assert.Equal(img.Pixels, back.Pixels);
    }

    /// <summary>Chunk types by the PNG specification's layout: length (4, big-endian), type (4), data, CRC (4).</summary>
    static List<string> PngChunks(byte[] png)
    {
        var types = new List<string>();
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            types.Add(System.Text.Encoding.ASCII.GetString(png, at + 4, 4));
            at += 12 + length;
        }
        return types;
    }

    [Fact]
    public void EncodedImagesCarryNoMetadata()
    {
        var chunks = PngChunks(ImageCodec.EncodePng(TestImages.Random(16, 9, seed: 3)));
        Assert.Equal("IHDR", chunks[0]);
        Assert.Equal("IEND", chunks[^1]);
        Assert.Empty(chunks.Intersect(["eXIf", "tEXt", "zTXt", "iTXt", "iCCP", "tIME"]));
        var jpg = ImageCodec.EncodeJpeg(TestImages.Gradient(16, 16), 90);
        // JPEG markers: APP1 (FF E1) holds EXIF or XMP, APP2 (FF E2) an ICC profile; the header segments come before the first SOS.
        int sos = jpg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        Assert.True(sos > 0);
        Assert.Equal(-1, jpg.AsSpan(0, sos).IndexOf([(byte)0xFF, (byte)0xE1]));
        Assert.Equal(-1, jpg.AsSpan(0, sos).IndexOf([(byte)0xFF, (byte)0xE2]));
    }

    [Fact]
    public void JpegRoundTripIsClose()
    {
        var img = TestImages.Gradient(64, 48);
        var jpg = ImageCodec.EncodeJpeg(img, 95);
        Assert.Equal(0xFF, jpg[0]);
        Assert.Equal(0xD8, jpg[1]);
        var back = ImageCodec.Decode(jpg, "gradient.jpg");
        Assert.Equal((64, 48), (back.Width, back.Height));
        double mad = img.Pixels.Zip(back.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(mad < 3.0, $"mean abs diff {mad}");
    }

    [Fact]
    public void DecodeFromFileReadsTheSamePixels()
    {
        string dir = TestImages.TempDir();
        var img = TestImages.Random(8, 5, seed: 2);
        string path = Path.Combine(dir, "a.png");
        File.WriteAllBytes(path, ImageCodec.EncodePng(img));
        Assert.Equal(img.Pixels, ImageCodec.Decode(path).Pixels);
    }

    [Fact]
    public void GrayscalePngBecomesThreeEqualBands()
    {
        var grey = new byte[] { 0, 50, 100, 150, 200, 255 };
        var png = TestImages.Png(3, 2, colourType: 0, grey);
        var img = ImageCodec.Decode(png, "grey.png");
        Assert.Equal((3, 2), (img.Width, img.Height));
        for (int i = 0; i < grey.Length; i++)
        {
            Assert.Equal(grey[i], img.Pixels[3 * i]);
            Assert.Equal(grey[i], img.Pixels[3 * i + 1]);
            Assert.Equal(grey[i], img.Pixels[3 * i + 2]);
        }
    }

    [Fact]
    public void RgbaPngIsFlattenedOntoWhite()
    {
        // Pixel 0 opaque red, pixel 1 fully transparent black, pixel 2 half-transparent blue.
        var rgba = new byte[] { 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 128 };
        var img = ImageCodec.Decode(TestImages.Png(3, 1, colourType: 6, rgba), "alpha.png");
        Assert.Equal(new byte[] { 255, 0, 0 }, img.Pixels[0..3]);
        Assert.Equal(new byte[] { 255, 255, 255 }, img.Pixels[3..6]);
        // 50% blue over white: R,G = 255*(1-128/255) ≈ 127, B = 255.
        Assert.InRange(img.Pixels[6], 125, 129);
        Assert.InRange(img.Pixels[7], 125, 129);
        Assert.Equal(255, img.Pixels[8]);
    }

    [Fact]
    public void GreyAlphaPngBecomesRgb()
    {
        var ga = new byte[] { 10, 255, 200, 0 };
        var img = ImageCodec.Decode(TestImages.Png(2, 1, colourType: 4, ga), "ga.png");
        Assert.Equal(new byte[] { 10, 10, 10, 255, 255, 255 }, img.Pixels);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(700)]   // beyond ImageCodec.RegionMaxPixels: read through memory
    public void TruncatedJpegGivesAnErrorNamingTheFile(int side)
    {
        var jpg = ImageCodec.EncodeJpeg(TestImages.Gradient(side, side), 90);
        var cut = jpg[..(jpg.Length * 6 / 10)];
        var ex = Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(cut, "cut.jpg"));
        Assert.Contains("cut.jpg", ex.Message);
        Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
    }

    [Fact]
    public void RandomBytesGiveAnErrorNamingTheFileAndReason()
    {
        var junk = new byte[500];
        new System.Random(3).NextBytes(junk);
        var ex = Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(junk, "junk.bin"));
        Assert.Contains("junk.bin", ex.Message);
        Assert.Contains("format", ex.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(40, 36)]
    [InlineData(700, 600)]   // beyond ImageCodec.RegionMaxPixels: read through memory
    public void ATruncatedPngIsReportedAsCorruptPixelDataOfThePngFormat(int width, int height)
    {
        var png = ImageCodec.EncodePng(TestImages.Random(width, height, seed: 5));
        var ex = Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(png[..(png.Length / 2)], "half.png"));
        Assert.Equal("its PNG pixel data is truncated or corrupt", ex.Reason);
        Assert.IsType<NetVips.VipsException>(ex.InnerException);   // libvips's own words stay available for logs
    }

    /// <summary>
    /// libvips keeps one error buffer per process; when decodes fail on many threads at once, its text carries other
    /// files' lines. The reason a file is listed with must not depend on what else was failing at the time.
    /// </summary>
    [Fact]
    public void EachBadFileGetsOneReasonHoweverManyDecodesFailAtOnce()
    {
        var png = ImageCodec.EncodePng(TestImages.Random(40, 36, seed: 6));
        var jpg = ImageCodec.EncodeJpeg(TestImages.Gradient(64, 64), 90);
        var junk = new byte[700];
        new System.Random(8).NextBytes(junk);
        byte[][] inputs = [png[..(png.Length / 2)], jpg[..(jpg.Length * 6 / 10)], junk];
        var reasons = inputs.Select(_ => new System.Collections.Concurrent.ConcurrentDictionary<string, int>()).ToArray();
        Parallel.For(0, 8 * 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int which = i % inputs.Length;
            try { ImageCodec.Decode(inputs[which], "bad"); reasons[which].AddOrUpdate("(decoded)", 1, (_, n) => n + 1); }
            catch (ImageDecodeException e) { reasons[which].AddOrUpdate(e.Reason, 1, (_, n) => n + 1); }
        });
        Assert.Equal(["its PNG pixel data is truncated or corrupt"], reasons[0].Keys);
        Assert.Equal(["its JPEG pixel data is truncated or corrupt"], reasons[1].Keys);
        Assert.Equal(["its bytes are in no image format libvips reads"], reasons[2].Keys);
    }

    [Theory]
    [InlineData("VipsForeignLoadPngBuffer", "PNG")]
    [InlineData("VipsForeignLoadJpegBuffer", "JPEG")]
    [InlineData("VipsForeignLoadWebpBuffer", "WEBP")]
    [InlineData("SomethingElse", "SOMETHINGELSE")]
    [InlineData(null, null)]
    public void LoaderTypeNamesBecomeFormatNames(string? loader, string? format) => Assert.Equal(format, ImageCodec.FormatName(loader));

    [Fact]
    public void MissingAndEmptyFilesGiveNamedErrors()
    {
        string dir = TestImages.TempDir();
        string missing = Path.Combine(dir, "nope.png");
        Assert.Contains("nope.png", Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(missing)).Message);
        string empty = Path.Combine(dir, "empty.png");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Assert.Contains("empty.png", Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(empty)).Message);
    }

    [Fact]
    public void ThumbnailFitsTheLongerSideAndKeepsAspect()
    {
        var img = TestImages.Gradient(200, 100);
        var th = ImageCodec.Thumbnail(img, 50);
        Assert.Equal((50, 25), (th.Width, th.Height));
        // The gradient survives: left edge dark red, right edge bright red.
        Assert.True(th.GetPixel(0, 12).R < 20);
        Assert.True(th.GetPixel(49, 12).R > 235);
        var small = ImageCodec.Thumbnail(img, 400);
        Assert.Equal(img.Pixels, small.Pixels);
    }

    [Fact]
    public void ParallelDecodesAgree()
    {
        var png = ImageCodec.EncodePng(TestImages.Random(32, 32, seed: 4));
        var expected = ImageCodec.Decode(png, "p.png").Pixels;
        Parallel.For(0, 16, _ => Assert.Equal(expected, ImageCodec.Decode(png, "p.png").Pixels));
    }
}
