using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// The original bytes of ingested images, by corpus and image id (what an <c>ImageRef</c> holds): the corpus's source
/// is listed as ingestion lists it (<see cref="CorpusReader"/>) once per process and kept; an id the kept listing lacks
/// lists the source again, at most every <see cref="RelistAfter"/>, so images added since are found.
/// </summary>
public sealed class CorpusImages(IGrainFactory grains)
{
    static readonly TimeSpan RelistAfter = TimeSpan.FromSeconds(30);
    static readonly HttpClient Http = new();
    readonly ConcurrentDictionary<CorpusSource, (Dictionary<string, CorpusItem> Items, long ListedAt)> listings = new();

    /// <summary>The corpus's item of that id; null source when the corpus is not registered, null item when it lists no such id.</summary>
    public async Task<(CorpusSource? Source, CorpusItem? Item)> FindAsync(string corpusId, string imageId)
    {
        var source = await SourceAsync(corpusId);
        return (source, source is null ? null : Find(source, imageId));
    }

    /// <summary>Where a registered corpus's images come from; null when it is not registered.</summary>
    public async Task<CorpusSource?> SourceAsync(string corpusId) => (await grains.GetGrain<ICorpusGrain>(corpusId).GetAsync()).Source;

    /// <summary>The source's item of that id, or null when the source lists none. Callers that miss at the same time
    /// wait for one listing.</summary>
    public CorpusItem? Find(CorpusSource source, string imageId)
    {
        if (listings.TryGetValue(source, out var kept) && kept.Items.TryGetValue(imageId, out var item)) return item;
        lock (listings)
        {
            if (listings.TryGetValue(source, out kept) && kept.Items.TryGetValue(imageId, out item)) return item;
            if (kept.Items is not null && Stopwatch.GetElapsedTime(kept.ListedAt) < RelistAfter) return null;
            var items = CorpusReader.Read(source).ToDictionary(i => i.ImageId, StringComparer.Ordinal);
            listings[source] = (items, Stopwatch.GetTimestamp());
            return items.GetValueOrDefault(imageId);
        }
    }

    /// <summary>The item's bytes: a file, or an http(s) URL as manifests may name.</summary>
    public static async Task<byte[]> ReadAsync(CorpusItem item, CancellationToken ct) =>
        Uri.TryCreate(item.Location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? await Http.GetByteArrayAsync(uri, ct)
            : await File.ReadAllBytesAsync(item.Location, ct);
}
