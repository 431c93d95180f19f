using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.Api.Hosting;

/// <summary>
/// The SAE records that latent routes check ids against, cached so a GET of a latent costs one grain call (the
/// latent's) instead of two. Only registered SAEs are cached, for at most <see cref="MaxAge"/>: an unknown id is
/// always asked of its grain (so a new registration is seen at once), a re-registration in this process
/// replaces the entry immediately (<see cref="Forget"/>), and one made through another API process is seen
/// within MaxAge.
/// </summary>
public sealed class SaeDirectory(IGrainFactory grains)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    readonly ConcurrentDictionary<string, (SaeRecord Record, long FetchedAt)> records = new(StringComparer.Ordinal);

    /// <summary>The SAE's record, or null when no SAE of that id is registered.</summary>
    public async ValueTask<SaeRecord?> FindAsync(string saeId)
    {
        if (records.TryGetValue(saeId, out var entry) && Stopwatch.GetElapsedTime(entry.FetchedAt) < MaxAge) return entry.Record;
        var record = (await grains.GetGrain<ISaeGrain>(saeId).GetAsync()).Record;
        if (record is null) records.TryRemove(saeId, out _);
        else records[saeId] = (record, Stopwatch.GetTimestamp());
        return record;
    }

    public void Forget(string saeId) => records.TryRemove(saeId, out _);
}
