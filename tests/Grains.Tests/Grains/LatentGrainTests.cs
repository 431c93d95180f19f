using System.Text.Json;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Tests.Cluster;
using Actors.Testing;

namespace Actors.Grains.Tests.Grains;

/// <summary>Latent grains on a 2-silo Orleans TestCluster, fed by the host's sketching and delivery code.</summary>
public class LatentGrainTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    static readonly TokenLayout Layout = new(5, true);
    GrainCluster Cluster => shared.Cluster;

    /// <summary>Batches of random activations for 4 latents of a fresh SAE id, sketched as ingestion would.</summary>
    internal static List<SketchedBatch> Batches(string saeId, int count, long durableThrough = -1)
    {
        var sketcher = new BatchSketcher(4, Layout, 2, 3);
        return [.. RawBatches(count).Select((batch, b) => sketcher.Sketch(saeId, "c", b, durableThrough, batch))];
    }

    /// <summary>The SAE outputs behind <see cref="Batches"/>: 3 images per batch, labels duck, water and none.</summary>
    internal static List<SaeBatch> RawBatches(int count)
    {
        var rng = new Random(8);
        var list = new List<SaeBatch>();
        for (int b = 0; b < count; b++)
        {
            var offsets = new List<int> { 0 }; var lat = new List<int>(); var val = new List<float>();
            for (int t = 0; t < 3 * Layout.TokensPerImage; t++)
            {
                for (int s = 0; s < 4; s++) if (rng.Next(3) == 0) { lat.Add(s); val.Add((float)(rng.NextDouble() * 3)); }
                offsets.Add(lat.Count);
            }
            var imgs = Enumerable.Range(0, 3).Select(i => new Actors.Grains.Sketches.ImageRef("c", $"b{b}i{i}", "h")).ToArray();
            list.Add(new SaeBatch(imgs, ["duck", "water", null], [.. offsets], [.. lat], [.. val]));
        }
        return list;
    }

    /// <summary>Latent grain references as the host makes them, from the test cluster's client.</summary>
    internal static LatentGrainReferences References(IGrainFactory grains) => LatentGrainReferences.From(((IClusterClient)grains).ServiceProvider);

    /// <summary>Delivers each batch on its own (a group of one).</summary>
    internal static async Task DeliverAll(IGrainFactory grains, IEnumerable<SketchedBatch> batches)
    {
        foreach (var b in batches)
        {
            var group = new DeliveryGroup(b.Partitions[0].SaeId, "c", null);
            group.Add(b.Partitions[0].BatchId, b);
            await group.DeliverAsync(References(grains), -1);
        }
    }

    /// <summary>Delivers consecutive batches in groups of <paramref name="size"/>, as ingestion does between checkpoints.</summary>
    internal static async Task DeliverInGroups(IGrainFactory grains, IReadOnlyList<SketchedBatch> batches, int size)
    {
        for (int start = 0; start < batches.Count; start += size)
        {
            var group = new DeliveryGroup(batches[start].Partitions[0].SaeId, "c", null);
            foreach (var b in batches.Skip(start).Take(size)) group.Add(b.Partitions[0].BatchId, b);
            await group.DeliverAsync(References(grains), -1);
        }
    }

    internal static string Json(LatentView v) => JsonSerializer.Serialize(v with { SaeId = "" });

    /// <summary>The view's JSON with doubles to 12 significant digits: merges in another grouping round differently
    /// in the last bits (Chan's update is exact in real arithmetic only).</summary>
    internal static string RoundedJson(LatentView v) => JsonSerializer.Serialize(v with { SaeId = "" }, Rounded);
    static readonly JsonSerializerOptions Rounded = new() { Converters = { new RoundedDouble() } };
    sealed class RoundedDouble : System.Text.Json.Serialization.JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) => reader.GetDouble();
        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions o) =>
            writer.WriteStringValue(value.ToString("G12", System.Globalization.CultureInfo.InvariantCulture));
    }
    static string NewSae() => $"sae-{Guid.NewGuid():N}";

    [Fact]
    public async Task DeliveryReferencesAreTheReferencesGetGrainMakes()
    {
        string sae = NewSae();
        await DeliverAll(Cluster.Grains, Batches(sae, 2));
        var references = References(Cluster.Grains);
        foreach (int latent in new[] { 0, 3, 1, 2, 0 })   // the first made by GetGrain, the rest from its types
        {
            var made = references.Of(sae, latent);
            var expected = Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, latent));
            Assert.Equal(expected.GetGrainId(), made.GetGrainId());
            Assert.Equal(((GrainReference)expected).InterfaceType, ((GrainReference)made).InterfaceType);
            Assert.Equal(expected, made);
            Assert.Equal(RoundedJson(await expected.GetAsync()), RoundedJson(await made.GetAsync()));
        }
    }

    [Fact]
    public async Task RedeliveredBatchesChangeNothing()
    {
        var batchesOnce = Batches(NewSae(), 6);
        string twiceId = NewSae();
        var batchesTwice = Batches(twiceId, 6);
        await DeliverAll(Cluster.Grains, batchesOnce);
        await DeliverAll(Cluster.Grains, batchesTwice);
        await DeliverAll(Cluster.Grains, batchesTwice.AsEnumerable().Reverse());
        for (int s = 0; s < 4; s++)
            Assert.Equal(Json(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(batchesOnce[0].Partitions[0].SaeId, s)).GetAsync()),
                         Json(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(twiceId, s)).GetAsync()));
        var entry = batchesTwice[0].Partitions.SelectMany(p => p.Deltas).First();
        Assert.False((await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(twiceId, entry.LatentIndex)).MergeAsync(entry.Delta)).Applied);
    }

    [Fact]
    public async Task GroupedDeliveryGivesThePerBatchStatisticsAndIsRedeliveredWholeOrRefusedInPart()
    {
        string perBatch = NewSae(), grouped = NewSae();
        await DeliverAll(Cluster.Grains, Batches(perBatch, 8));
        var batches = Batches(grouped, 10);
        await DeliverInGroups(Cluster.Grains, batches[..8], 4);
        await DeliverInGroups(Cluster.Grains, batches[..8], 4);     // the same groups again: skipped whole
        for (int s = 0; s < 4; s++)
            Assert.Equal(RoundedJson(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(perBatch, s)).GetAsync()),
                         RoundedJson(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(grouped, s)).GetAsync()));
        // A delivery overlapping merged batches only in part cannot be applied: refused, naming the batches.
        var overlap = new DeliveryGroup(grouped, "c", null);
        foreach (var b in batches.Skip(6).Take(4)) overlap.Add(b.Partitions[0].BatchId, b);   // 6, 7 merged; 8, 9 not
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => overlap.DeliverAsync(References(Cluster.Grains), -1));
        Assert.Contains("batches 6..9", e.Message);
    }

    [Fact]
    public async Task SketchingStraightIntoTheGroupDeliversWhatMergingEachBatchsOwnSketchDelivers()
    {
        string perBatch = NewSae(), intoGroup = NewSae();
        await DeliverAll(Cluster.Grains, Batches(perBatch, 9));
        var sketcher = new BatchSketcher(4, Layout, referenceCapacity: 3);
        var raw = RawBatches(9);
        for (int start = 0; start < raw.Count; start += 4)   // groups of 4, 4 and 1, as ingestion's checkpoints cut them
        {
            var group = new DeliveryGroup(intoGroup, "c", null);
            for (int b = start; b < Math.Min(start + 4, raw.Count); b++) group.Add(b, raw[b], sketcher);
            await group.DeliverAsync(References(Cluster.Grains), -1);
        }
        for (int s = 0; s < 4; s++)
            Assert.Equal(RoundedJson(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(perBatch, s)).GetAsync()),
                         RoundedJson(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(intoGroup, s)).GetAsync()));
    }

    [Fact]
    public async Task ViewReportsFrequencyAgainstAllTokensSeenAndReferencesDescending()
    {
        string sae = NewSae();
        var batches = Batches(sae, 5);
        await DeliverAll(Cluster.Grains, batches);
        var view = await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 2)).GetAsync();
        Assert.Equal(5 * 3 * Layout.TokensPerImage, batches.Sum(b => b.Totals.Tokens));
        SketchAssert.Close((double)view.FiringTokens / (5 * 3 * 5), view.TokenFrequency, "token frequency");
        SketchAssert.Close((double)view.FiringImages / 15, view.ImageFrequency, "image frequency");
        Assert.True(view.References.Length is > 0 and <= 3);
        Assert.Equal(view.References.OrderByDescending(r => r.Activation).Select(r => r.Activation), view.References.Select(r => r.Activation));
        Assert.Equal(5, view.BatchesApplied);
        var duck = view.Classes.Single(c => c.Label == "duck");
        Assert.Equal(5, duck.Images);   // one duck per batch, firing or not
        Assert.Equal(view.Histogram.Sum(), view.FiringTokens);
    }

    [Fact]
    public async Task StateSurvivesDeactivationAndReactivation()
    {
        string sae = NewSae();
        await DeliverAll(Cluster.Grains, Batches(sae, 4));
        var grain = Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 1));
        await grain.SetSemanticLabelsAsync(new SemanticLabeling("world", [new("water", 0.1), new("duck", 0.3)]));
        await grain.SetLogitLensAsync(new LogitLensResult("world", [new("a duck", 0.5)]));
        var before = Json(await grain.GetAsync());
        var others = await Task.WhenAll(new[] { 0, 2, 3 }.Select(s => Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, s)).GetAsync()));
        await Cluster.DeactivateAllAsync();
        var after = await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 1)).GetAsync();
        Assert.Equal(before, Json(after));
        Assert.Equal("duck", after.SemanticLabels!.Assigned!.Text);
        Assert.Equal("duck", after.SemanticLabels.Labels[0].Text);
        for (int i = 0; i < 3; i++)
            Assert.Equal(Json(others[i]), Json(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, new[] { 0, 2, 3 }[i])).GetAsync()));
        // The index lists the latents a delivery touched, with the label an analysis set.
        var listed = (await Task.WhenAll(Enumerable.Range(0, ILatentIndexGrain.Partitions)
            .Select(p => Cluster.Grains.GetGrain<ILatentIndexGrain>($"{sae}/{p}").ListAsync()))).SelectMany(x => x).ToList();
        Assert.Equal(4, listed.Count);
        Assert.Equal("duck", listed.Single(l => l.Latent == 1).SemanticLabel);
    }

    [Fact]
    public async Task ALabellingsAlignmentAndClarityReachTheIndexBesideTheReferenceActivationAndSurviveReactivation()
    {
        string sae = NewSae();
        await DeliverAll(Cluster.Grains, Batches(sae, 3));
        var grain = Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 2));
        await grain.SetSemanticLabelsAsync(new SemanticLabeling("world", [new("water", 0.1), new("duck", 0.3)], Clarity: 0.7));
        var references = (await grain.GetAsync()).References;
        await Cluster.DeactivateAllAsync();

        Assert.Equal(0.7, (await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 2)).GetAsync()).SemanticLabels!.Clarity);
        var listed = await Cluster.Grains.GetGrain<ILatentIndexGrain>(ILatentIndexGrain.KeyOf(sae, 2)).ListAsync();
        var summary = listed.Single(l => l.Latent == 2);
        Assert.Equal(("duck", 0.3, 0.7), (summary.SemanticLabel, summary.Alignment, summary.Clarity));
        Assert.Equal(references.Average(r => r.Activation), summary.ReferenceActivation, 1e-12);
    }

    [Fact]
    public async Task AnIndexPartitionKeepsEachSummarysClassRelevanceMomentsAcrossReactivation()
    {
        string key = $"{NewSae()}/0";
        var relevance = new Dictionary<string, Actors.Grains.Sketches.Moments> { ["cat"] = Actors.Grains.Sketches.Moments.Of([0.5, 1.5]) };
        var summary = new LatentSummary(16, 4, 2, 1.0, 2.0, 0.3, "cat", "whiskers", 0.12, 0.6, 2.5, relevance);
        await Cluster.Grains.GetGrain<ILatentIndexGrain>(key).UpsertManyAsync([summary]);
        await Cluster.DeactivateAllAsync();

        var stored = Assert.Single(await Cluster.Grains.GetGrain<ILatentIndexGrain>(key).ListAsync());
        Assert.Equal(summary with { ClassRelevance = null }, stored with { ClassRelevance = null });
        Assert.Equal(relevance["cat"], stored.ClassRelevance!["cat"]);
        Assert.Equal(0.2, stored.MeanRelevance("cat", 10)!.Value, 12);   // (0.5 + 1.5) over 10 images of the class
    }

    [Fact]
    public async Task AMergeIsStoredBeforeItReturns()
    {
        string sae = NewSae();
        var batches = Batches(sae, 2);
        await DeliverAll(Cluster.Grains, [batches[0]]);
        var touched = batches[0].Partitions.SelectMany(p => p.Deltas).Select(d => d.LatentIndex).ToArray();
        foreach (var s in touched)
        {
            var stored = await Cluster.Storage.ReadAsync("latent", LatentKey.Of(sae, s), "latent");
            Assert.Equal("1", stored.Etag);
        }
        await DeliverAll(Cluster.Grains, [batches[0]]);             // merged before: nothing is written
        foreach (var s in touched) Assert.Equal("1", (await Cluster.Storage.ReadAsync("latent", LatentKey.Of(sae, s), "latent")).Etag);
    }

    [Fact]
    public async Task AFailedWriteDropsTheActivationSoARetriedDeliveryIsNotLost()
    {
        await using var cluster = await GrainCluster.StartAsync(silos: 1);
        string sae = NewSae();
        var batches = Batches(sae, 2);
        var entries = batches.Select(b => b.Partitions.SelectMany(p => p.Deltas).First(d => d.LatentIndex == 2)).ToArray();
        var grain = cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 2));
        Assert.True((await grain.MergeAsync(entries[0].Delta)).Applied);
        // The database fails the next write (its table is gone for a moment): the merge is in memory only.
        await cluster.ExecuteSqlAsync("ALTER TABLE grain_records RENAME TO grain_records_away");
        await Assert.ThrowsAnyAsync<Exception>(() => grain.MergeAsync(entries[1].Delta));
        await cluster.ExecuteSqlAsync("ALTER TABLE grain_records_away RENAME TO grain_records");
        // The retry meets a new activation, read from storage: batch 1 is merged and stored, not skipped as merged.
        Assert.True((await grain.MergeAsync(entries[1].Delta)).Applied);
        await cluster.DeactivateAllAsync();
        Assert.Equal(2, (await grain.GetAsync()).BatchesApplied);
    }

    [Fact]
    public async Task KillingASiloBetweenDeliveriesThenDeliveringTheRestGivesExactlyTheUninterruptedStatistics()
    {
        string referenceSae = NewSae(), sae = NewSae();
        await DeliverAll(Cluster.Grains, Batches(referenceSae, 10));

        await using var cluster = await GrainCluster.StartAsync(silos: 2, fastFailureDetection: true);
        var victim = cluster.Cluster.SecondarySilos[0].SiloAddress;
        // Placement is random: the 4 latents of an SAE all land on the other silo one time in 16, so SAEs are tried
        // until one has latents on the silo to kill (counted as the activations its first deliveries added there).
        var all = Batches(sae, 10);
        int onKilled = 0;
        for (int attempt = 0; attempt < 20 && onKilled == 0; attempt++)
        {
            if (attempt > 0) all = Batches(sae = NewSae(), 10);
            int before = await LatentsOnAsync(cluster, victim);
            await DeliverAll(cluster.Grains, all.Take(6));
            onKilled = await LatentsOnAsync(cluster, victim) - before;
        }
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.SecondarySilos[0]);
        await DeliverAll(cluster.Grains, all.Skip(6));             // calls to the dead silo's latents are retried elsewhere
        Assert.True(onKilled > 0, "no latent lived on the killed silo; the test proved nothing");
        for (int s = 0; s < 4; s++)
            Assert.Equal(Json(await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(referenceSae, s)).GetAsync()),
                         Json(await cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, s)).GetAsync()));
    }

    static async Task<int> LatentsOnAsync(GrainCluster cluster, Orleans.Runtime.SiloAddress silo) =>
        (await GrainCensus.TakeAsync(cluster.Grains, [silo])).PerSilo("LatentGrain").GetValueOrDefault(silo);

    [Fact]
    public void BadLatentKeysAreRejectedWithTheKeyNamed()
    {
        Assert.Equal(("org/sae", 12), LatentKey.Parse("org/sae/12"));
        Assert.Contains("'sae-only'", Assert.Throws<ArgumentException>(() => LatentKey.Parse("sae-only")).Message);
    }
}
