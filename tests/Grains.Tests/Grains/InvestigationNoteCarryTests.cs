using System.Text.Json;
using Actors.Grains.Investigations;
using Actors.Grains.Tests.Cluster;

namespace Actors.Grains.Tests.Grains;

/// <summary>
/// An investigation carrying its notes to the latents a retraining matched: each listed latent with a successor gets it
/// listed with copies of its notes (author, time and text kept, marked with the ancestor and the match score), in one
/// versioned change that survives reactivation; latents without a successor get nothing; a second carry adds nothing;
/// a carry is a change like any other, refused against a stale version and refusing a member's change made before it.
/// </summary>
public class InvestigationNoteCarryTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    GrainCluster Cluster => shared.Cluster;
    static readonly InvestigationMember Owner = new("u-owner", "Ada", InvestigationRole.Owner);

    static InvestigationNote Note(string id, string author, string markdown, int minute) =>
        new(id, $"u-{author}", author, markdown, $"<p>{markdown}</p>", new DateTimeOffset(2025, 3, 1, 12, minute, 0, TimeSpan.Zero));

    /// <summary>An investigation listing latents 1, 2 and 3 of <paramref name="parent"/> (notes on each), latent 1 of
    /// another SAE and an image (a note on each), with a fresh SAE id for the parent.</summary>
    async Task<(IInvestigationGrain Grain, InvestigationView View)> InvestigationAsync(string parent)
    {
        var grain = Cluster.Grains.GetGrain<IInvestigationGrain>($"inv-{Guid.NewGuid():N}");
        var view = await grain.CreateAsync("Water or duck?", "", Owner);
        foreach (var (kind, reference) in new[] { ("latent", $"{parent}/1"), ("latent", $"{parent}/2"), ("latent", $"{parent}/3"), ("latent", "other-sae/1"), ("image", "c/img-1") })
            view = await grain.AddItemAsync(view.Version, kind, reference, "Ada");
        string Item(string reference) => view.Items.Single(i => i.Ref == reference).ItemId;
        view = await grain.AddNoteAsync(view.Version, Item($"{parent}/1"), Note("n-a", "Ada", "fires on **water**", 1));
        view = await grain.AddNoteAsync(view.Version, Item($"{parent}/1"), Note("n-b", "Bo", "also on ducks", 2));
        view = await grain.AddNoteAsync(view.Version, Item($"{parent}/2"), Note("n-c", "Bo", "grass", 3));
        view = await grain.AddNoteAsync(view.Version, Item($"{parent}/3"), Note("n-d", "Ada", "dropped by the retraining", 4));
        view = await grain.AddNoteAsync(view.Version, Item("other-sae/1"), Note("n-e", "Ada", "another SAE's latent 1", 5));
        view = await grain.AddNoteAsync(view.Version, Item("c/img-1"), Note("n-f", "Ada", "an image", 6));
        return (grain, view);
    }

    /// <summary>The mapping: 1 → 5 (0.93), 2 → 7 (0.81), and 4 → 9, a latent the investigation does not list; 3 has no successor.</summary>
    static NoteCarry Carry(string parent, string child) =>
        new(parent, child, "job-1", [new LatentSuccessor(1, 5, 0.93), new LatentSuccessor(2, 7, 0.81), new LatentSuccessor(4, 9, 0.75)]);

    /// <summary>Records holding arrays compare by reference; their JSON compares what they hold.</summary>
    static string Json(object? value) => JsonSerializer.Serialize(value);

    static InvestigationItem? Listed(InvestigationView view, string reference) => view.Items.SingleOrDefault(i => i.Kind == "latent" && i.Ref == reference);

    [Fact]
    public async Task NotesReachTheMatchedLatentsWithScoreAndProvenanceUnmatchedLatentsGetNothingAndItSurvivesReactivation()
    {
        string parent = $"sae-{Guid.NewGuid():N}", child = parent + "-v2";
        var (grain, before) = await InvestigationAsync(parent);
        var after = await grain.CarryNotesAsync(before.Version, Carry(parent, child));

        Assert.Equal(before.Version + 1, after.Version);   // one change for the whole mapping
        Assert.Equal(Json(before.Items), Json(after.Items.Take(before.Items.Length)));   // the ancestors' items are untouched
        Assert.Equal([$"{child}/5", $"{child}/7"], after.Items.Skip(before.Items.Length).Select(i => i.Ref));
        foreach (var (old, successor, score) in new[] { (1, 5, 0.93), (2, 7, 0.81) })
        {
            var ancestor = Listed(before, $"{parent}/{old}")!;
            var carried = Listed(after, $"{child}/{successor}")!;
            Assert.Equal(ancestor.Notes.Length, carried.Notes.Length);
            foreach (var (original, copy) in ancestor.Notes.Zip(carried.Notes))
            {
                // The copy is the original's text, HTML, author and time, with where it came from.
                Assert.Equal(original with { NoteId = copy.NoteId, CarriedFrom = copy.CarriedFrom }, copy);
                Assert.NotEqual(original.NoteId, copy.NoteId);
                Assert.Equal((parent, old, score, original.NoteId, "job-1"),
                    (copy.CarriedFrom!.SaeId, copy.CarriedFrom.Latent, copy.CarriedFrom.MatchScore, copy.CarriedFrom.NoteId, copy.CarriedFrom.JobId));
            }
            Assert.Empty(carried.Votes);
        }
        Assert.Null(Listed(after, $"{child}/9"));   // 4 → 9: latent 4 is not listed here
        Assert.DoesNotContain(after.Items, i => i.Ref.StartsWith(child + "/", StringComparison.Ordinal) && i.Notes.Any(n => n.CarriedFrom!.Latent == 3));
        Assert.Equal(6, after.Items.Sum(i => i.Notes.Count(n => n.CarriedFrom is null)));   // nothing else was copied
        Assert.Equal(3, after.Items.Sum(i => i.Notes.Count(n => n.CarriedFrom is not null)));

        var index = Cluster.Grains.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key);
        Assert.Contains(after.InvestigationId, await index.ListingLatentsOfAsync(child));
        Assert.DoesNotContain(after.InvestigationId, await index.ListingLatentsOfAsync($"sae-{Guid.NewGuid():N}"));
        // A summary stored before it kept the SAEs does not say: a retraining of any SAE visits that investigation.
        string legacy = $"inv-legacy-{Guid.NewGuid():N}";
        await index.UpsertAsync(new InvestigationSummary(legacy, "old", ["u-owner"]));
        Assert.Contains(legacy, await index.ListingLatentsOfAsync($"sae-{Guid.NewGuid():N}"));

        await Cluster.DeactivateAllAsync();
        var reread = (await grain.GetAsync())!;
        Assert.Equal(after.Version, reread.Version);
        Assert.Equal(Json(after.Items), Json(reread.Items));
    }

    [Fact]
    public async Task CarryingAgainAddsNothingAndKeepsTheVersionButCarriesANoteWrittenSince()
    {
        string parent = $"sae-{Guid.NewGuid():N}", child = parent + "-v2";
        var (grain, view) = await InvestigationAsync(parent);
        view = await grain.AddItemAsync(view.Version, "latent", $"{child}/5", "Bo");   // listed by hand before the retraining
        view = await grain.AddNoteAsync(view.Version, Listed(view, $"{child}/5")!.ItemId, Note("n-own", "Bo", "the new version's own", 7));

        var first = await grain.CarryNotesAsync(view.Version, Carry(parent, child));
        var again = await grain.CarryNotesAsync(first.Version, Carry(parent, child));
        Assert.Equal(first.Version, again.Version);   // a repeated stage changes nothing, not even the version members edit against
        Assert.Equal(Json(first.Items), Json(again.Items));
        Assert.Single(first.Items, i => i.Ref == $"{child}/5");
        Assert.Equal(["n-own", "n-a", "n-b"], Listed(again, $"{child}/5")!.Notes.Select(n => n.CarriedFrom?.NoteId ?? n.NoteId));

        var written = await grain.AddNoteAsync(again.Version, Listed(again, $"{parent}/1")!.ItemId, Note("n-late", "Ada", "written after", 8));
        var third = await grain.CarryNotesAsync(written.Version, Carry(parent, child));
        Assert.Equal(written.Version + 1, third.Version);
        Assert.Equal(["n-own", "n-a", "n-b", "n-late"], Listed(third, $"{child}/5")!.Notes.Select(n => n.CarriedFrom?.NoteId ?? n.NoteId));
        Assert.Equal(Json(Listed(written, $"{child}/7")), Json(Listed(third, $"{child}/7")));
    }

    [Fact]
    public async Task ACarryAgainstAStaleVersionIsRefusedAndAMembersChangeMadeBeforeTheCarryIsRefusedAfterIt()
    {
        string parent = $"sae-{Guid.NewGuid():N}", child = parent + "-v2";
        var (grain, read) = await InvestigationAsync(parent);
        // A member adds a note meanwhile: the carry made against what it read is refused and changes nothing.
        var edited = await grain.AddNoteAsync(read.Version, Listed(read, $"{parent}/2")!.ItemId, Note("n-meanwhile", "Bo", "meanwhile", 9));
        var stale = await Assert.ThrowsAsync<StaleVersionException>(() => grain.CarryNotesAsync(read.Version, Carry(parent, child)));
        Assert.Equal(edited.Version, stale.Current);
        Assert.Equal(Json(edited), Json(await grain.GetAsync()));

        // Re-read and re-applied, it carries the member's note too.
        var carried = await grain.CarryNotesAsync(stale.Current, Carry(parent, child));
        Assert.Equal(["n-c", "n-meanwhile"], Listed(carried, $"{child}/7")!.Notes.Select(n => n.CarriedFrom!.NoteId));
        // A member's change made against the version before the carry is refused: the carry moved the version on.
        await Assert.ThrowsAsync<StaleVersionException>(() => grain.AddNoteAsync(edited.Version, Listed(carried, $"{child}/7")!.ItemId, Note("n-x", "Bo", "x", 10)));
        Assert.Equal(Json(carried), Json(await grain.GetAsync()));
    }
}
