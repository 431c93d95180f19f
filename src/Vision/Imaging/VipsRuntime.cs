using System.Runtime.InteropServices;

namespace Actors.Vision.Imaging;

/// <summary>
/// Initialises libvips exactly once per process and resolves the enum values we use by their nicks (so we never
/// hard-code numbers from a header we do not have). libvips is thread-safe after <c>vips_init</c>.
/// </summary>
internal static class VipsRuntime
{
    private static readonly Lazy<Enums> Lazy = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object ErrorLock = new();

    internal sealed record Enums(int InterpretationSrgb, int FormatUchar);

    internal static Enums Values => Lazy.Value;

    private static Enums Initialise()
    {
        if (VipsNative.Init("actors-gpuhost") != 0)
            throw new InvalidOperationException($"vips_init failed: {TakeError()}");
        // The operation cache keys loads by file name/buffer pointer; our callers decode each input once and a stale
        // cache hit on a rewritten file would be a silent wrong answer, so we turn the cache off.
        VipsNative.CacheSetMax(0);
        int srgb = VipsNative.EnumFromNick("actors", VipsNative.InterpretationGetType(), "srgb");
        int uchar = VipsNative.EnumFromNick("actors", VipsNative.BandFormatGetType(), "uchar");
        if (srgb < 0 || uchar < 0)
            throw new InvalidOperationException($"libvips enum lookup failed: {TakeError()}");
        return new Enums(srgb, uchar);
    }

    /// <summary>Reads and clears libvips's error buffer (process-global in libvips, hence the lock).</summary>
    internal static string TakeError()
    {
        lock (ErrorLock)
        {
            string text = Marshal.PtrToStringUTF8(VipsNative.ErrorBuffer()) ?? "";
            VipsNative.ErrorClear();
            text = text.Trim();
            return text.Length == 0 ? "libvips reported no reason" : text.Replace('\n', ';');
        }
    }

    /// <summary>Unreferences a VipsImage (a GObject) if non-null.</summary>
    internal static void Unref(ref IntPtr image)
    {
        if (image != IntPtr.Zero)
        {
            VipsNative.GObjectUnref(image);
            image = IntPtr.Zero;
        }
    }
}
