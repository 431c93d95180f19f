using Actors.GpuHost.Search;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.GpuHost.Tests.Search;

/// <summary>
/// Search's reference sets: the first search reads every fired latent's view; a later one reads only latents that are
/// new or whose index summary changed, and otherwise answers exactly as a full read would. The version changes exactly
/// when the sets do (the search's means are recomputed on it).
/// </summary>
public class ReferenceSetsTests
{
    /// <summary>Latent views as the grains would give them, counting which latents were read.</summary>
    sealed class Views
    {
        public readonly Dictionary<int, ImageRef[]> Images = [];
        public readonly List<int[]> Reads = [];

        public Task<(int Latent, ImageRef[] Images)[]> ReadAsync(int[] latents)
        {
            Reads.Add(latents);
            return Task.FromResult(latents.Select(j => (j, Images[j])).ToArray());
        }

        /// <summary>What a search that read every fired latent would return.</summary>
        public (int, ImageRef[])[] FullRead(IEnumerable<LatentSummary> listed) =>
            [.. listed.Where(s => s.FiringImages > 0).OrderBy(s => s.Latent).Select(s => (s.Latent, Images[s.Latent])).Where(p => p.Item2.Length > 0)];
    }

    static ImageRef Image(int i) => new("corpus", $"img-{i}", $"{i:x64}");

    static LatentSummary Summary(int latent, long tokens, long images, double referenceActivation) =>
        new(latent, tokens, images, 1.0, 2.0, 0, null, null, ReferenceActivation: referenceActivation);

    static void AssertSame((int, ImageRef[])[] want, ReferenceSnapshot snapshot)
    {
        var got = snapshot.Sets;
        Assert.Equal(want.Select(p => p.Item1), got.Select(p => p.Latent));
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i].Item2, got[i].Images);
    }

    [Fact]
    public async Task OnlyLatentsWhoseSummaryChangedAreReadAgainAndTheAnswerEqualsAFullRead()
    {
        var views = new Views();
        views.Images[0] = [Image(1), Image(2)];
        views.Images[3] = [Image(3)];
        views.Images[5] = [];                                   // fired, but holds no reference yet
        views.Images[9] = [Image(4)];                           // never fired: not listed as fired
        var sets = new ReferenceSets();
        LatentSummary[] listed = [Summary(3, 4, 2, 0.5), Summary(0, 10, 3, 0.9), Summary(5, 1, 1, 0), Summary(9, 0, 0, 0)];

        var first = await sets.CurrentAsync("sae", listed, views.ReadAsync);
        AssertSame(views.FullRead(listed), first);
        Assert.Equal([0, 3, 5], views.Reads.Single());

        var again = await sets.CurrentAsync("sae", listed, views.ReadAsync);
        AssertSame(views.FullRead(listed), again);
        Assert.Single(views.Reads);                             // nothing changed: no view read
        Assert.Equal(first.Version, again.Version);

        // Latent 0 merged a delivery whose images did not enter its references: read again, same sets, same version.
        listed = [Summary(3, 4, 2, 0.5), Summary(0, 12, 4, 0.9), Summary(5, 1, 1, 0), Summary(9, 0, 0, 0)];
        var unchanged = await sets.CurrentAsync("sae", listed, views.ReadAsync);
        Assert.Equal([0], views.Reads[^1]);
        Assert.Equal(first.Version, unchanged.Version);

        // A delivery merges into latent 3 (new references, more firing tokens) and latent 7 fires for the first time.
        views.Images[3] = [Image(5), Image(3)];
        views.Images[7] = [Image(6)];
        listed = [Summary(3, 9, 4, 0.8), Summary(0, 12, 4, 0.9), Summary(5, 1, 1, 0), Summary(7, 2, 1, 0.4), Summary(9, 0, 0, 0)];
        var later = await sets.CurrentAsync("sae", listed, views.ReadAsync);
        AssertSame(views.FullRead(listed), later);
        Assert.Equal([3, 7], views.Reads[^1]);
        Assert.NotEqual(first.Version, later.Version);
    }

    [Fact]
    public async Task EachSaeKeepsItsOwnSetsAndALatentNoLongerListedIsDropped()
    {
        var views = new Views();
        views.Images[1] = [Image(1)];
        views.Images[2] = [Image(2)];
        var sets = new ReferenceSets();
        var a = await sets.CurrentAsync("a", [Summary(1, 1, 1, 0.1), Summary(2, 1, 1, 0.2)], views.ReadAsync);

        var other = await sets.CurrentAsync("b", [Summary(1, 1, 1, 0.1)], views.ReadAsync);
        Assert.Equal([1], views.Reads[^1]);                     // another SAE's latent 1 is not this one's
        Assert.Equal([1], other.Sets.Select(p => p.Latent));
        Assert.NotEqual(a.Version, other.Version);

        var fewer = await sets.CurrentAsync("a", [Summary(2, 1, 1, 0.2)], views.ReadAsync);
        Assert.Equal(2, views.Reads.Count);
        Assert.Equal([2], fewer.Sets.Select(p => p.Latent));
        Assert.NotEqual(a.Version, fewer.Version);              // a latent dropped out: the sets changed
    }
}
