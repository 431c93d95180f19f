using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Investigations;
using Actors.Grains.Tests.Cluster;
using Actors.Sae.Architectures;
using Actors.Sae.Matching;
using Xunit.Abstractions;

namespace Actors.Grains.Tests.Jobs;

/// <summary>
/// The retraining job's carry stage over a known permutation: a planted SAE's latents are shuffled (some dropped, some
/// new ones added), the matcher recovers the shuffle, and <see cref="LatentLineage.CarryAsync"/> — the stage the job
/// runs after publishing the mapping — puts each listed latent's notes on the latent it was moved to, in the
/// investigations that list the parent's latents and in no other; running the stage again changes nothing.
/// </summary>
public class LineageNoteCarryTests(SharedGrainCluster shared, ITestOutputHelper output) : IClassFixture<SharedGrainCluster>
{
    IGrainFactory Grains => shared.Cluster.Grains;
    const int DIn = 32, Old = 48, Kept = 40, Extra = 6;

    /// <summary>Old latent p[i] at new index i (encoder and decoder rows moved together, a little noise, renormalised),
    /// then <paramref name="extra"/> random directions.</summary>
    static SparseAutoencoder Permuted(SparseAutoencoder old, int[] p, int extra, int seed)
    {
        int n = p.Length + extra;
        var rng = new Random(seed);
        var fresh = SparseAutoencoder.CreateRandom(new TopKSaeConfig(DIn, extra, 1), seed + 1);
        var dec = new float[n * DIn];
        for (int i = 0; i < n; i++)
        {
            var src = i < p.Length ? old.DecoderWeights.AsSpan(p[i] * DIn, DIn) : fresh.DecoderWeights.AsSpan((i - p.Length) * DIn, DIn);
            var row = dec.AsSpan(i * DIn, DIn);
            double norm = 0;
            for (int k = 0; k < DIn; k++) { row[k] = src[k] + 0.02f * (float)(rng.NextDouble() - 0.5); norm += row[k] * row[k]; }
            for (int k = 0; k < DIn; k++) row[k] /= (float)Math.Sqrt(norm);
        }
        return SparseAutoencoder.Create(new TopKSaeConfig(DIn, n, 4), (float[])dec.Clone(), new float[n], dec, new float[DIn]);
    }

    [Fact]
    public async Task TheCarryStagePutsEachListedLatentsNotesOnTheLatentAPlantedPermutationMovedIt()
    {
        string parent = $"planted-{Guid.NewGuid():N}", child = parent + "-v2";
        var old = SparseAutoencoder.CreateRandom(new TopKSaeConfig(DIn, Old, 4), 41);
        var shuffle = Enumerable.Range(0, Old).ToArray();
        new Random(42).Shuffle(shuffle);
        var kept = shuffle[..Kept];   // new latent i is old latent kept[i]; the other 8 old latents have no successor
        var matching = LatentMatcher.Match(Permuted(old, kept, Extra, 43), old);
        Assert.Equal(Kept, matching.Matches.Length);   // the planted permutation is what the matcher recovers
        Assert.All(matching.Matches, m => Assert.Equal(kept[m.NewLatent], m.OldLatent));
        var document = LatentLineage.Document(child, parent, 2, "job-planted", matching);
        var successorOf = kept.Select((o, i) => (o, i)).ToDictionary(x => x.o, x => x.i);
        int dropped = shuffle[Kept];

        // Two investigations list latents of the parent (one of them a latent the retraining dropped); a third lists
        // only another SAE's latent and must not be visited.
        var listed = new[] { kept[0], kept[7], kept[33], dropped };
        var (a, aView) = await InvestigationAsync("A", [.. listed.Select(l => $"{parent}/{l}")]);
        var (b, bView) = await InvestigationAsync("B", [$"{parent}/{kept[7]}", $"other-{parent}/{kept[7]}"]);
        var (c, cView) = await InvestigationAsync("C", [$"other-{parent}/{kept[0]}"]);

        var progress = new List<(int Done, int Total, string Stage)>();
        var (labels, notes) = await LatentLineage.CarryAsync(Grains, document, (d, t, s) => progress.Add((d, t, s)), CancellationToken.None);
        output.WriteLine($"carried {notes} notes, labels to {labels} latents; progress {string.Join(", ", progress.Where(p => p.Stage == "carrying notes"))}");

        var aAfter = (await a.GetAsync())!;
        foreach (var oldLatent in listed.Where(successorOf.ContainsKey))
        {
            var entry = document.Entries.Single(e => e.OldLatent == oldLatent);
            var item = aAfter.Items.Single(i => i.Ref == $"{child}/{successorOf[oldLatent]}");
            var note = Assert.Single(item.Notes);
            Assert.Equal($"about latent {oldLatent} of A", note.Markdown);
            Assert.Equal(new CarriedNote(parent, oldLatent, entry.Score, $"note-{oldLatent}", "job-planted", note.CarriedFrom!.CarriedAt), note.CarriedFrom);
            Assert.True(entry.Score > 0.9, $"the planted match {oldLatent} -> {successorOf[oldLatent]} scored {entry.Score}");
        }
        Assert.Equal(aView.Items.Length + 3, aAfter.Items.Length);   // the dropped latent has no successor listed
        Assert.Equal(aView.Version + 1, aAfter.Version);
        var bAfter = (await b.GetAsync())!;
        Assert.Equal([$"{parent}/{kept[7]}", $"other-{parent}/{kept[7]}", $"{child}/7"], bAfter.Items.Select(i => i.Ref));
        Assert.Equal($"about latent {kept[7]} of B", Assert.Single(bAfter.Items[2].Notes).Markdown);
        Assert.Equal(cView.Version, (await c.GetAsync())!.Version);
        Assert.Equal(4, notes);
        Assert.Equal(0, labels);   // no parent latent had labels to carry

        var noteProgress = progress.Where(p => p.Stage == "carrying notes").ToList();
        Assert.Equal((2, 2), (noteProgress[^1].Done, noteProgress[^1].Total));   // A and B: the index names no other

        // The stage again (a resumed job): the same figure, and no investigation changes.
        var (_, notesAgain) = await LatentLineage.CarryAsync(Grains, document, (_, _, _) => { }, CancellationToken.None);
        Assert.Equal(notes, notesAgain);
        Assert.Equal(aAfter.Version, (await a.GetAsync())!.Version);
        Assert.Equal(bAfter.Version, (await b.GetAsync())!.Version);
    }

    /// <summary>An investigation listing <paramref name="latents"/>, each with one note "about latent {n} of {title}".</summary>
    async Task<(IInvestigationGrain, InvestigationView)> InvestigationAsync(string title, string[] latents)
    {
        var grain = Grains.GetGrain<IInvestigationGrain>($"inv-{Guid.NewGuid():N}");
        var view = await grain.CreateAsync(title, "", new InvestigationMember("u-1", "Ada", InvestigationRole.Owner));
        foreach (var reference in latents)
        {
            view = await grain.AddItemAsync(view.Version, "latent", reference, "Ada");
            int latent = InvestigationItem.ParseLatentRef(reference)!.Value.Latent;
            view = await grain.AddNoteAsync(view.Version, view.Items[^1].ItemId,
                new InvestigationNote($"note-{latent}", "u-1", "Ada", $"about latent {latent} of {title}", "<p>…</p>", DateTimeOffset.UtcNow));
        }
        return (grain, view);
    }
}
