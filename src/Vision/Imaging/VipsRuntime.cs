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
        var version = Loaded();
        if (RefusalOf(version) is { } refusal) throw new InvalidOperationException(refusal);
        // One libvips worker per operation, unless VIPS_CONCURRENCY says otherwise: our callers decode and encode many
        // images at once on their own threads (a batch of 32 in ingestion), and per operation libvips's threads only
        // added hand-offs. 1,000 world PNGs (64 px), CPU per image: decode 605 → 341 µs, PNG save 524 → 427 µs; a
        // 2400×1800 JPEG decodes in 68 ms of CPU instead of 75 (its decoder runs on one thread either way).
        if (Environment.GetEnvironmentVariable("VIPS_CONCURRENCY") is null) NetVips.NetVips.Concurrency = 1;
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
            return Loaded();
        }
    }

    static Version Loaded() => new(NetVips.NetVips.Version(0), NetVips.NetVips.Version(1), NetVips.NetVips.Version(2));

    /// <summary>
    /// The oldest libvips we run. Before 8.15.4 (Debian 12 ships 8.14.1) a worker thread that has idled 15 s frees itself
    /// while a starting pipeline may still hand it work, which corrupts the heap (libvips's ChangeLog for 8.15.4:
    /// "threadset: fix a race condition during thread exit"); a test host once died of it in CI.
    /// </summary>
    internal static readonly Version OldestSupported = new(8, 15, 4);

    /// <summary>Why this process must not run <paramref name="version"/> of libvips, or null when it may.</summary>
    internal static string? RefusalOf(Version version) => version >= OldestSupported ? null
        : $"libvips {version} is loaded, and versions before {OldestSupported} can corrupt the heap when an idle worker " +
          "thread exits; the bundled copy (NetVips.Native.linux-x64, under runtimes/linux-x64/native) should have been found " +
          "first: check that the app's deps.json lists it and that LD_LIBRARY_PATH does not name an older libvips";

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
