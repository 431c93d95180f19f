using System.Runtime.InteropServices;

namespace Actors.Vision.Imaging;

/// <summary>
/// P/Invoke declarations for the parts of libvips 8.14 (libvips.so.42) and GLib/GObject we use.
/// libvips's operation functions are C varargs taking (name, value)* pairs ended by NULL; we declare each call with
/// the exact optional arguments we pass and a trailing <c>IntPtr terminator</c> (always <see cref="IntPtr.Zero"/>).
/// On x86-64 SysV this is ABI-compatible because we only pass integer/pointer varargs.
/// </summary>
internal static partial class VipsNative
{
    private const string Vips = "libvips.so.42";
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";

    [LibraryImport(Vips, EntryPoint = "vips_init", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Init(string argv0);

    [LibraryImport(Vips, EntryPoint = "vips_cache_set_max")]
    internal static partial void CacheSetMax(int max);

    [LibraryImport(Vips, EntryPoint = "vips_error_buffer")]
    internal static partial IntPtr ErrorBuffer();

    [LibraryImport(Vips, EntryPoint = "vips_error_clear")]
    internal static partial void ErrorClear();

    [LibraryImport(Vips, EntryPoint = "vips_enum_from_nick", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EnumFromNick(string domain, nint gtype, string nick);

    [LibraryImport(Vips, EntryPoint = "vips_interpretation_get_type")]
    internal static partial nint InterpretationGetType();

    [LibraryImport(Vips, EntryPoint = "vips_band_format_get_type")]
    internal static partial nint BandFormatGetType();

    // VipsImage *vips_image_new_from_buffer(const void *buf, size_t len, const char *option_string, ...)
    [LibraryImport(Vips, EntryPoint = "vips_image_new_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial IntPtr ImageNewFromBuffer(byte* buf, nuint len, string optionString, IntPtr terminator);

    // VipsImage *vips_image_new_from_memory_copy(const void *data, size_t size, int width, int height, int bands, VipsBandFormat format)
    [LibraryImport(Vips, EntryPoint = "vips_image_new_from_memory_copy")]
    internal static unsafe partial IntPtr ImageNewFromMemoryCopy(byte* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_width")]
    internal static partial int ImageGetWidth(IntPtr image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_height")]
    internal static partial int ImageGetHeight(IntPtr image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_bands")]
    internal static partial int ImageGetBands(IntPtr image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_format")]
    internal static partial int ImageGetFormat(IntPtr image);

    [LibraryImport(Vips, EntryPoint = "vips_image_hasalpha")]
    internal static partial int ImageHasAlpha(IntPtr image);

    // int vips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space, ...)
    [LibraryImport(Vips, EntryPoint = "vips_colourspace")]
    internal static partial int Colourspace(IntPtr input, out IntPtr output, int space, IntPtr terminator);

    // int vips_flatten(VipsImage *in, VipsImage **out, ...) with "background", VipsArrayDouble*
    [LibraryImport(Vips, EntryPoint = "vips_flatten", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Flatten(IntPtr input, out IntPtr output, string backgroundName, IntPtr background, IntPtr terminator);

    // VipsArrayDouble *vips_array_double_new(const double *array, int n)
    [LibraryImport(Vips, EntryPoint = "vips_array_double_new")]
    internal static unsafe partial IntPtr ArrayDoubleNew(double* array, int n);

    [LibraryImport(Vips, EntryPoint = "vips_area_unref")]
    internal static partial void AreaUnref(IntPtr area);

    // int vips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format, ...)
    [LibraryImport(Vips, EntryPoint = "vips_cast")]
    internal static partial int Cast(IntPtr input, out IntPtr output, int format, IntPtr terminator);

    // int vips_extract_band(VipsImage *in, VipsImage **out, int band, ...) with "n", int
    [LibraryImport(Vips, EntryPoint = "vips_extract_band", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ExtractBand(IntPtr input, out IntPtr output, int band, string nName, int n, IntPtr terminator);

    // int vips_bandjoin_const1(VipsImage *in, VipsImage **out, double c, ...) is not needed: grey→RGB uses bandjoin.
    // int vips_bandjoin(VipsImage **in, VipsImage **out, int n, ...)
    [LibraryImport(Vips, EntryPoint = "vips_bandjoin")]
    internal static unsafe partial int BandJoin(IntPtr* inputs, out IntPtr output, int n, IntPtr terminator);

    // int vips_thumbnail_image(VipsImage *in, VipsImage **out, int width, ...) with "height", int
    [LibraryImport(Vips, EntryPoint = "vips_thumbnail_image", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ThumbnailImage(IntPtr input, out IntPtr output, int width, string heightName, int height, IntPtr terminator);

    // void *vips_image_write_to_memory(VipsImage *in, size_t *size)   (free with g_free)
    [LibraryImport(Vips, EntryPoint = "vips_image_write_to_memory")]
    internal static partial IntPtr ImageWriteToMemory(IntPtr image, out nuint size);

    // int vips_pngsave_buffer(VipsImage *in, void **buf, size_t *len, ...) with "compression", int
    [LibraryImport(Vips, EntryPoint = "vips_pngsave_buffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PngSaveBuffer(IntPtr image, out IntPtr buffer, out nuint length, string compressionName, int compression, IntPtr terminator);

    // int vips_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, ...) with "Q", int
    [LibraryImport(Vips, EntryPoint = "vips_jpegsave_buffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int JpegSaveBuffer(IntPtr image, out IntPtr buffer, out nuint length, string qualityName, int quality, IntPtr terminator);

    [LibraryImport(GObject, EntryPoint = "g_object_unref")]
    internal static partial void GObjectUnref(IntPtr obj);

    [LibraryImport(GLib, EntryPoint = "g_free")]
    internal static partial void GFree(IntPtr mem);
}
