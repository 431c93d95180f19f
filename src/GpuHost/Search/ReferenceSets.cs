using System.Collections.Concurrent;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.GpuHost.Search;

/// <summary>
/// The reference images of each SAE's latents as the last search read them, read again only for latents whose
/// summary in the latent index changed. A latent's references change only when a delivery merges activations into it,
/// and that raises its firing-token count in the summary the same delivery stores in the index, so the summary's
/// (firing tokens, firing images, reference activation) stamps the set. A search at 49,152 latents then reads only the
/// views that changed, instead of one grain call per fired latent per search. A search that runs during a delivery
/// sees each latent as the index lists it, which catches up when the delivery has stored its summaries.
/// </summary>
public sealed class ReferenceSets
{
    readonly record struct Stamp(long FiringTokens, long FiringImages, double ReferenceActivation)
    {
        public static Stamp Of(LatentSummary summary) => new(summary.FiringTokens, summary.FiringImages, summary.ReferenceActivation);
    }

    readonly ConcurrentDictionary<string, Dictionary<int, (Stamp Stamp, ImageRef[] Images)>> last = new(StringComparer.Ordinal);

    /// <summary>
    /// Every listed latent that fired and has reference images, with those images, in latent order. <paramref name="read"/>
    /// is asked only for the latents that are new or whose summary changed since the SAE's last search.
    /// </summary>
    public async Task<(int Latent, ImageRef[] Images)[]> CurrentAsync(string saeId, IEnumerable<LatentSummary> listed,
        Func<int[], Task<(int Latent, ImageRef[] Images)[]>> read)
    {
        var previous = last.TryGetValue(saeId, out var kept) ? kept : [];
        var fired = listed.Where(s => s.FiringImages > 0).OrderBy(s => s.Latent).ToArray();
        int[] changed = [.. fired.Where(s => !previous.TryGetValue(s.Latent, out var p) || p.Stamp != Stamp.Of(s)).Select(s => s.Latent)];
        var fresh = changed.Length == 0 ? [] : (await read(changed)).ToDictionary(r => r.Latent, r => r.Images);
        var sets = new Dictionary<int, (Stamp, ImageRef[])>(fired.Length);
        foreach (var s in fired)
            sets[s.Latent] = (Stamp.Of(s), fresh.TryGetValue(s.Latent, out var images) ? images
                : previous.TryGetValue(s.Latent, out var p) ? p.Images : []);
        last[saeId] = sets;
        return [.. fired.Select(s => (s.Latent, sets[s.Latent].Item2)).Where(p => p.Item2.Length > 0)];
    }
}
