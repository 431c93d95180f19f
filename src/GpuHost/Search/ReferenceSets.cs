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
    // Versions come from one counter, so two searches that computed different sets never share a version.
    static long versions;

    readonly record struct Stamp(long FiringTokens, long FiringImages, double ReferenceActivation)
    {
        public static Stamp Of(LatentSummary summary) => new(summary.FiringTokens, summary.FiringImages, summary.ReferenceActivation);
    }

    sealed record Kept(long Version, Dictionary<int, (Stamp Stamp, ImageRef[] Images)> Sets);

    readonly ConcurrentDictionary<string, Kept> last = new(StringComparer.Ordinal);

    /// <summary>
    /// Every listed latent that fired and has reference images, with those images, in latent order. <paramref name="read"/>
    /// is asked only for the latents that are new or whose summary changed since the SAE's last search.
    /// </summary>
    public async Task<ReferenceSnapshot> CurrentAsync(string saeId, IEnumerable<LatentSummary> listed,
        Func<int[], Task<(int Latent, ImageRef[] Images)[]>> read)
    {
        var kept = last.TryGetValue(saeId, out var k) ? k : null;
        var previous = kept?.Sets ?? [];
        var fired = listed.Where(s => s.FiringImages > 0).OrderBy(s => s.Latent).ToArray();
        int[] changed = [.. fired.Where(s => !previous.TryGetValue(s.Latent, out var p) || p.Stamp != Stamp.Of(s)).Select(s => s.Latent)];
        var fresh = changed.Length == 0 ? [] : (await read(changed)).ToDictionary(r => r.Latent, r => r.Images);
        var sets = new Dictionary<int, (Stamp Stamp, ImageRef[] Images)>(fired.Length);
        foreach (var s in fired)
            sets[s.Latent] = (Stamp.Of(s), fresh.TryGetValue(s.Latent, out var images) ? images
                : previous.TryGetValue(s.Latent, out var p) ? p.Images : []);
        bool same = kept is not null && fired.Length == previous.Count && fired.All(s => previous.ContainsKey(s.Latent))
            && changed.All(j => sets[j].Images.SequenceEqual(previous[j].Images));
        long version = same ? kept!.Version : Interlocked.Increment(ref versions);
        last[saeId] = new Kept(version, sets);
        return new ReferenceSnapshot(version, [.. fired.Select(s => (s.Latent, sets[s.Latent].Images)).Where(p => p.Images.Length > 0)]);
    }
}

/// <summary>An SAE's latents with reference images, in latent order, and a version that names exactly these sets: a
/// later snapshot with the same version holds the same images.</summary>
public sealed record ReferenceSnapshot(long Version, (int Latent, ImageRef[] Images)[] Sets);
