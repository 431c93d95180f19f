using System.Runtime.InteropServices;

namespace Actors.Vision.Imaging;

/// <summary>
/// Decodes and encodes images through libvips (never a hand-written codec). Decoding yields 8-bit sRGB:
/// any colourspace is converted to sRGB, grayscale becomes three equal bands, 16-bit becomes 8-bit, and
/// <b>alpha is flattened onto white</b> (what a viewer shows on a white page). Note that PIL/transformers
/// pipelines instead drop the alpha channel, so fully transparent pixels can differ from theirs.
/// Truncated files are errors (libvips's <c>fail_on=truncated</c>), not grey-filled images.
/// Thread-safe: every call works on its own libvips objects.
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
    public static unsafe RgbImage Decode(ReadOnlySpan<byte> encoded, string nameForErrors)
    {
        var enums = VipsRuntime.Values;
        if (encoded.IsEmpty)
            throw new ImageDecodeException(nameForErrors, "the file is empty");
        IntPtr image = IntPtr.Zero;
        try
        {
            fixed (byte* p = encoded)
            {
                image = VipsNative.ImageNewFromBuffer(p, (nuint)encoded.Length, "fail_on=truncated", IntPtr.Zero);
                if (image == IntPtr.Zero) throw Fail(nameForErrors);
                // libvips is lazy: decode fully while the buffer is pinned.
                image = Step(image, nameForErrors, (IntPtr i, out IntPtr o) => VipsNative.Colourspace(i, out o, enums.InterpretationSrgb, IntPtr.Zero));
                if (VipsNative.ImageHasAlpha(image) != 0)
                    image = FlattenOnWhite(image, nameForErrors);
                if (VipsNative.ImageGetFormat(image) != enums.FormatUchar)
                    image = Step(image, nameForErrors, (IntPtr i, out IntPtr o) => VipsNative.Cast(i, out o, enums.FormatUchar, IntPtr.Zero));
                image = ToThreeBands(image, nameForErrors);
                return ReadPixels(image, nameForErrors);
            }
        }
        finally
        {
            VipsRuntime.Unref(ref image);
        }
    }

    /// <summary>Encodes losslessly as PNG (zlib compression level 6).</summary>
    public static byte[] EncodePng(RgbImage image) =>
        Save(image, "PNG", (IntPtr i, out IntPtr b, out nuint n) => VipsNative.PngSaveBuffer(i, out b, out n, "compression", 6, IntPtr.Zero));

    /// <summary>Encodes as baseline JPEG with the given quality (1–100).</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 90)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Save(image, "JPEG", (IntPtr i, out IntPtr b, out nuint n) => VipsNative.JpegSaveBuffer(i, out b, out n, "Q", quality, IntPtr.Zero));
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
        IntPtr vimg = FromRgb(image);
        try
        {
            vimg = Step(vimg, "thumbnail", (IntPtr i, out IntPtr o) => VipsNative.ThumbnailImage(i, out o, maxSide, "height", maxSide, IntPtr.Zero));
            vimg = ToThreeBands(vimg, "thumbnail");
            return ReadPixels(vimg, "thumbnail");
        }
        finally
        {
            VipsRuntime.Unref(ref vimg);
        }
    }

    private delegate int Operation(IntPtr input, out IntPtr output);
    private delegate int Saver(IntPtr input, out IntPtr buffer, out nuint length);

    /// <summary>Runs one libvips operation, releasing its input (the output holds its own reference).</summary>
    private static IntPtr Step(IntPtr input, string name, Operation op)
    {
        int rc = op(input, out IntPtr output);
        VipsRuntime.Unref(ref input);
        if (rc != 0 || output == IntPtr.Zero) throw Fail(name);
        return output;
    }

    private static unsafe IntPtr FlattenOnWhite(IntPtr image, string name)
    {
        double* white = stackalloc double[] { 255, 255, 255 };
        IntPtr background = VipsNative.ArrayDoubleNew(white, 3);
        try
        {
            return Step(image, name, (IntPtr i, out IntPtr o) => VipsNative.Flatten(i, out o, "background", background, IntPtr.Zero));
        }
        finally
        {
            VipsNative.AreaUnref(background);
        }
    }

    private static unsafe IntPtr ToThreeBands(IntPtr image, string name)
    {
        int bands = VipsNative.ImageGetBands(image);
        if (bands == 3) return image;
        if (bands > 3)
            return Step(image, name, (IntPtr i, out IntPtr o) => VipsNative.ExtractBand(i, out o, 0, "n", 3, IntPtr.Zero));
        if (bands == 2)
            image = Step(image, name, (IntPtr i, out IntPtr o) => VipsNative.ExtractBand(i, out o, 0, "n", 1, IntPtr.Zero));
        // One band (grey): repeat it three times.
        IntPtr* three = stackalloc IntPtr[] { image, image, image };
        int rc = VipsNative.BandJoin(three, out IntPtr joined, 3, IntPtr.Zero);
        VipsRuntime.Unref(ref image);
        if (rc != 0 || joined == IntPtr.Zero) throw Fail(name);
        return joined;
    }

    private static RgbImage ReadPixels(IntPtr image, string name)
    {
        int width = VipsNative.ImageGetWidth(image), height = VipsNative.ImageGetHeight(image);
        IntPtr memory = VipsNative.ImageWriteToMemory(image, out nuint size);
        if (memory == IntPtr.Zero) throw Fail(name);
        try
        {
            long expected = (long)width * height * 3;
            if ((long)size != expected)
                throw new ImageDecodeException(name, $"libvips produced {size} bytes, expected {expected} for {width}x{height} RGB8");
            var pixels = new byte[expected];
            Marshal.Copy(memory, pixels, 0, pixels.Length);
            return new RgbImage(width, height, pixels);
        }
        finally
        {
            VipsNative.GFree(memory);
        }
    }

    private static unsafe IntPtr FromRgb(RgbImage image)
    {
        var enums = VipsRuntime.Values;
        fixed (byte* p = image.Pixels)
        {
            IntPtr vimg = VipsNative.ImageNewFromMemoryCopy(p, (nuint)image.Pixels.Length, image.Width, image.Height, 3, enums.FormatUchar);
            if (vimg == IntPtr.Zero) throw new InvalidOperationException($"vips_image_new_from_memory_copy failed: {VipsRuntime.TakeError()}");
            return vimg;
        }
    }

    private static byte[] Save(RgbImage image, string format, Saver saver)
    {
        ArgumentNullException.ThrowIfNull(image);
        IntPtr vimg = FromRgb(image);
        try
        {
            if (saver(vimg, out IntPtr buffer, out nuint length) != 0 || buffer == IntPtr.Zero)
                throw new InvalidOperationException($"libvips {format} encoding of a {image.Width}x{image.Height} image failed: {VipsRuntime.TakeError()}");
            try
            {
                var bytes = new byte[(int)length];
                Marshal.Copy(buffer, bytes, 0, bytes.Length);
                return bytes;
            }
            finally
            {
                VipsNative.GFree(buffer);
            }
        }
        finally
        {
            VipsRuntime.Unref(ref vimg);
        }
    }

    private static ImageDecodeException Fail(string name) => new(name, VipsRuntime.TakeError());
}
