using System.Collections.Concurrent;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Loads each key's value once per process, however many callers ask at the same time; a failed load is not kept,
/// so the next call tries again (the user may have fixed the file).
/// </summary>
public sealed class LoadOnce<T>
{
    readonly ConcurrentDictionary<string, Lazy<T>> values = new(StringComparer.Ordinal);

    public T Get(string key, Func<T> load)
    {
        var lazy = values.GetOrAdd(key, _ => new Lazy<T>(load));
        try { return lazy.Value; }
        catch { values.TryRemove(new KeyValuePair<string, Lazy<T>>(key, lazy)); throw; }
    }
}
