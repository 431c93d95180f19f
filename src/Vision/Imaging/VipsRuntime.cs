using NetVips;

namespace Actors.Vision.Imaging;

/// <summary>
/// libvips as NetVips runs it: NetVips starts libvips (libvips.so.42 from the NetVips.Native.linux-x64 package, found
/// through the app's deps.json before any system copy) once, when its assembly loads; here we check that it did, turn
/// the operation cache off, and word libvips's errors for our own messages. libvips is thread-safe once started.
/// </summary>
internal static class VipsRuntime
{
    private static readonly Lazy<bool> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Throws a clear error when libvips could not be loaded or started.</summary>
    internal static void EnsureStarted() => _ = Started.Value;

    private static bool Start()
    {
        if (!ModuleInitializer.VipsInitialized)
            throw new InvalidOperationException(
                $"libvips could not be started (it ships in the NetVips.Native.linux-x64 package, under runtimes/linux-x64/native): {ModuleInitializer.Exception?.Message}",
                ModuleInitializer.Exception);
        // The operation cache keys loads by their arguments (file name, buffer); our callers decode each input once,
        // and a stale cache hit on a rewritten file would be a silent wrong answer, so we turn the cache off.
        Cache.Max = 0;
        return true;
    }

    /// <summary>The libvips this process runs, as major.minor.micro.</summary>
    internal static Version LibraryVersion
    {
        get
        {
            EnsureStarted();
            return new Version(NetVips.NetVips.Version(0), NetVips.NetVips.Version(1), NetVips.NetVips.Version(2));
        }
    }

    /// <summary>
    /// Why libvips failed, on one line: the lines of libvips's error buffer that NetVips appends to its message, or
    /// NetVips's own first line ("unable to load from buffer") when libvips left none.
    /// </summary>
    internal static string Reason(VipsException e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length switch
        {
            0 => "libvips reported no reason",
            1 => lines[0],
            _ => string.Join(';', lines[1..]),
        };
    }
}
