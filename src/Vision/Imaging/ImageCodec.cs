using NetVips;

namespace Actors.Vision.Imaging;

/// <summary>
/// Decodes and encodes images through libvips (never a hand-written codec). Decoding yields 8-bit sRGB:
/// any colourspace is converted to sRGB, grayscale becomes three equal bands, 16-bit becomes 8-bit, and
/// <b>alpha is flattened onto white</b> (what a viewer shows on a white page). Note that PIL/transformers
/// pipelines instead drop the alpha channel, so fully transparent pixels can differ from theirs.
/// Truncated files are errors (libvips's <c>fail_on=truncated</c>), not grey-filled images.
/// Thread-safe: every call works on its own libvips objects.
/// <para>
/// A decode error's reason is worded here from what failed (no known format, the header, the pixel data) and the
/// format libvips recognised, never taken from libvips's error text: that text lives in one process-wide buffer which
/// concurrent failures append to and NetVips reads and clears, so under parallel decoding it carries other files'
/// lines or loses its own, and the same file would be listed with different reasons by two runs. libvips's own
/// words stay on the inner <see cref="VipsException"/>.
/// </para>
/// </summary>
public static class ImageCodec
{
    /// <summary>Decodes a file into RGB8. Corrupt or unsupported input throws <see cref="ImageDecodeException"/>.</summary>
    public static RgbImage Decode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            // Reading the bytes ourselves keeps libvips from holding file handles and gives IO errors a clear name.
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, e.Message, e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="nameForErrors"/> is used in error messages.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, string nameForErrors)
    {
        VipsRuntime.EnsureStarted();
        if (encoded.IsEmpty)
            throw new ImageDecodeException(nameForErrors, "the file is empty");
        string format = FormatName(Image.FindLoadBuffer(encoded))
            ?? throw new ImageDecodeException(nameForErrors, "its bytes are in no image format libvips reads");
        Image loaded;
        try
        {
            // Sequential: the pixels are read once, top to bottom (ReadPixels), so the loader decodes straight into
            // that read instead of first into an image of its own.
            loaded = Image.NewFromBuffer(encoded, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated);
        }
        catch (VipsException e)
        {
            throw new ImageDecodeException(nameForErrors, $"its {format} header cannot be read", e);
        }
        return ToRgb8(loaded, ToSrgb8, nameForErrors, $"its {format} pixel data is truncated or corrupt");
    }

    /// <summary>The format a libvips loader reads, from its type name ("VipsForeignLoadPngBuffer" → "PNG"), or null for none.</summary>
    internal static string? FormatName(string? loader)
    {
        if (loader is null) return null;
        const string prefix = "VipsForeignLoad", suffix = "Buffer";
        string name = loader.StartsWith(prefix, StringComparison.Ordinal) ? loader[prefix.Length..] : loader;
        if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        return name.Length == 0 ? loader : name.ToUpperInvariant();
    }

    /// <summary>Encodes losslessly as PNG (zlib compression level 6), with no metadata chunks.</summary>
    public static byte[] EncodePng(RgbImage image) => Save(image, "PNG", i => i.PngsaveBuffer(compression: 6, keep: Enums.ForeignKeep.None));

    /// <summary>Encodes as baseline JPEG with the given quality (1–100), with no metadata segments.</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 90)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Save(image, "JPEG", i => i.JpegsaveBuffer(q: quality, keep: Enums.ForeignKeep.None));
    }

    /// <summary>
    /// Shrinks the image so its longer side is at most <paramref name="maxSide"/>, keeping the aspect ratio
    /// (libvips's thumbnail: box-filter shrink then Lanczos). Images already small enough are returned as a copy.
    /// </summary>
    public static RgbImage Thumbnail(RgbImage image, int maxSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSide);
        if (Math.Max(image.Width, image.Height) <= maxSide)
            return new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        return ToRgb8(FromRgb(image), i => ToThreeBands(Step(i, x => x.ThumbnailImage(maxSide, height: maxSide))), "thumbnail",
            $"libvips could not shrink a {image.Width}x{image.Height} image to {maxSide} pixels");
    }

    /// <summary>
    /// The thumbnail, as PNG, of <paramref name="decoded"/>, the image decoded from <paramref name="original"/>: the file
    /// itself when it is a plain PNG already within <paramref name="maxSide"/> (<see cref="PlainPng"/>: its pixels are
    /// exactly what a re-encode would hold), otherwise <see cref="Thumbnail"/> encoded by <see cref="EncodePng"/>.
    /// </summary>
    public static byte[] ThumbnailPng(byte[] original, RgbImage decoded, int maxSide) =>
        PlainPng.IsOwnThumbnail(original, maxSide) ? original : EncodePng(Thumbnail(decoded, maxSide));

    /// <summary>
    /// Runs <paramref name="convert"/> on <paramref name="source"/> and reads the result as RGB8. libvips is lazy: the
    /// decode and every conversion run here, so a corrupt or truncated file fails here, as <see cref="ImageDecodeException"/>
    /// with <paramref name="reasonOnFailure"/>.
    /// </summary>
    private static RgbImage ToRgb8(Image source, Func<Image, Image> convert, string name, string reasonOnFailure)
    {
        var image = source;
        try
        {
            image = convert(source);
            return ReadPixels(image, name);
        }
        catch (VipsException e)
        {
            throw new ImageDecodeException(name, reasonOnFailure, e);
        }
        finally
        {
            image.Dispose();
        }
    }

    /// <summary>Any decoded image as 8-bit sRGB, three bands, alpha flattened onto white.</summary>
    private static Image ToSrgb8(Image decoded)
    {
        var image = Step(decoded, i => i.Colourspace(Enums.Interpretation.Srgb));
        if (image.HasAlpha())
            image = Step(image, i => i.Flatten(background: [255, 255, 255]));
        if (image.Format != Enums.BandFormat.Uchar)
            image = Step(image, i => i.Cast(Enums.BandFormat.Uchar));
        return ToThreeBands(image);
    }

    /// <summary>Runs one libvips operation and releases its input (the output holds its own reference).</summary>
    private static Image Step(Image input, Func<Image, Image> operation)
    {
        using (input) return operation(input);
    }

    private static Image ToThreeBands(Image image) => image.Bands switch
    {
        3 => image,
        > 3 => Step(image, i => i.ExtractBand(0, n: 3)),
        2 => GreyToRgb(Step(image, i => i.ExtractBand(0))),
        _ => GreyToRgb(image),
    };

    /// <summary>One band (grey): repeat it three times.</summary>
    private static Image GreyToRgb(Image grey) => Step(grey, i => i.Bandjoin(i, i));

    /// <summary>
    /// Images up to <see cref="RegionMaxPixels"/> are evaluated on the calling thread, as one region of the whole image.
    /// Writing them to memory would run libvips's thread pool instead: a hand-off to a worker and back per image, which
    /// for small images was most of the cost (1,000 world PNGs of 64 px: ≈ 64k context switches, 640-740 µs of CPU per
    /// image; as one region: 57 context switches in all, 370-430 µs). Larger images are written to memory, tile by tile:
    /// one region of a whole large image was slower (a 1024² JPEG: 40 ms of CPU against 16; 6000×4000: 2.4 s against 0.5), as
    /// its every stage ran over the whole image instead of a tile that stays in cache.
    /// </summary>
    private static RgbImage ReadPixels(Image image, string name)
    {
        int width = image.Width, height = image.Height;
        byte[] pixels;
        if ((long)width * height <= RegionMaxPixels)
        {
            using var region = Region.New(image);
            pixels = region.Fetch(0, 0, width, height);
        }
        else pixels = image.WriteToMemory<byte>();
        long expected = (long)width * height * 3;
        if (pixels.LongLength != expected)
            throw new ImageDecodeException(name, $"libvips produced {pixels.LongLength} bytes, expected {expected} for {width}x{height} RGB8");
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Largest image read as one region (<see cref="ReadPixels"/>). CPU per image, region against memory (both
    /// opened for sequential access): 0.44-0.55 at 64-128 px squares, 0.73-0.76 at 256 px, 0.75-1.02 at 384-512 px and
    /// up to 2.5 beyond (JPEG).</summary>
    internal const long RegionMaxPixels = 256 * 256;

    private static Image FromRgb(RgbImage image)
    {
        VipsRuntime.EnsureStarted();
        try
        {
            return Image.NewFromMemoryCopy<byte>(image.Pixels, image.Width, image.Height, 3, Enums.BandFormat.Uchar);
        }
        catch (VipsException e)
        {
            throw new InvalidOperationException($"libvips could not take a {image.Width}x{image.Height} RGB8 image: {VipsRuntime.Reason(e)}", e);
        }
    }

    /// <summary>
    /// Encodes through libvips. Callers pass keep=None: an image made from raw pixels has no metadata of its own, and
    /// libvips would otherwise write an EXIF block of its defaults (180 bytes) into every thumbnail and overlay.
    /// </summary>
    private static byte[] Save(RgbImage image, string format, Func<Image, byte[]> save)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var vimg = FromRgb(image);
        try
        {
            return save(vimg);
        }
        catch (VipsException e)
        {
            throw new InvalidOperationException($"libvips {format} encoding of a {image.Width}x{image.Height} image failed: {VipsRuntime.Reason(e)}", e);
        }
    }
}
