using System.Text.Json;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Grains;

public class LatentGrainTests
{
    static readonly TokenLayout Layout = new(5, true);

    /// <summary>Ten batches of random activations for a few latents, sketched as ingestion would.</summary>
    static List<SketchedBatch> Batches(int count, long durableThrough = -1)
    {
        var rng = new Random(8);
        var sketcher = new BatchSketcher(4, Layout, 2, 3);
        var list = new List<SketchedBatch>();
        for (int b = 0; b < count; b++)
        {
            var offsets = new List<int> { 0 }; var lat = new List<int>(); var val = new List<float>();
            for (int t = 0; t < 3 * Layout.TokensPerImage; t++)
            {
                for (int s = 0; s < 4; s++) if (rng.Next(3) == 0) { lat.Add(s); val.Add((float)(rng.NextDouble() * 3)); }
                offsets.Add(lat.Count);
            }
            var imgs = Enumerable.Range(0, 3).Select(i => new ImageRef("c", $"b{b}i{i}", "h")).ToArray();
            list.Add(sketcher.Sketch("sae", "c", b, durableThrough, new SaeBatch(imgs, ["duck", "water", null], [.. offsets], [.. lat], [.. val])));
        }
        return list;
    }

    static async Task DeliverAll(TestGrainHost host, IEnumerable<SketchedBatch> batches)
    {
        foreach (var b in batches) foreach (var p in b.Partitions) await LatentDeltaRouter.DeliverAsync(host, p);
    }

    static string Json(LatentView v) => JsonSerializer.Serialize(v);

    [Fact]
    public async Task RedeliveredBatchesChangeNothing()
    {
        var batches = Batches(6);
        var once = new TestGrainHost(latentOptions: LatentGrainOptions.WriteThrough);
        await DeliverAll(once, batches);
        var twice = new TestGrainHost(latentOptions: LatentGrainOptions.WriteThrough);
        await DeliverAll(twice, batches);
        await DeliverAll(twice, batches.AsEnumerable().Reverse());
        for (int s = 0; s < 4; s++)
            Assert.Equal(Json(await once.GetGrain<ILatentGrain>($"sae/{s}").GetAsync()), Json(await twice.GetGrain<ILatentGrain>($"sae/{s}").GetAsync()));
        var delta = batches[0].Partitions.SelectMany(p => p.Deltas).First();
        Assert.False(await twice.GetGrain<ILatentGrain>($"sae/{delta.LatentIndex}").MergeAsync(delta.Delta));
    }

    [Fact]
    public async Task ViewReportsFrequencyAgainstAllTokensSeenAndReferencesDescending()
    {
        var host = new TestGrainHost();
        var batches = Batches(5);
        await DeliverAll(host, batches);
        var view = await host.GetGrain<ILatentGrain>("sae/2").GetAsync();
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
    public async Task AnUnchangedLatentHandsOutTheSameViewAndAMergeReplacesIt()
    {
        var host = new TestGrainHost();
        var batches = Batches(3);
        await DeliverAll(host, batches.Take(2));
        var grain = host.GetGrain<ILatentGrain>("sae/2");
        var first = await grain.GetAsync();
        Assert.Same(first, await grain.GetAsync());            // callers may cache what they derive from a view
        await DeliverAll(host, batches.Skip(2));
        var after = await grain.GetAsync();
        Assert.NotSame(first, after);
        Assert.Equal(3, after.BatchesApplied);
    }

    [Fact]
    public async Task StateSurvivesDeactivationAndReactivation()
    {
        var host = new TestGrainHost();
        await DeliverAll(host, Batches(4));
        var grain = host.GetGrain<ILatentGrain>("sae/1");
        await grain.SetSemanticLabelsAsync(new SemanticLabeling("world", [new("water", 0.1), new("duck", 0.3)]));
        await grain.SetLogitLensAsync(new LogitLensResult("world", [new("a duck", 0.5)]));
        var before = Json(await grain.GetAsync());
        await host.DeactivateAllAsync();
        var after = await host.GetGrain<ILatentGrain>("sae/1").GetAsync();
        Assert.Equal(before, Json(after));
        Assert.Equal("duck", after.SemanticLabels!.Assigned!.Text);
        Assert.Equal("duck", after.SemanticLabels.Labels[0].Text);
    }

    [Fact]
    public async Task WriteBehindDefersWritesUntilTheTimerOrAFlush()
    {
        var host = new TestGrainHost(latentOptions: new LatentGrainOptions(TimeSpan.FromSeconds(1)));
        var batch = Batches(1)[0];
        await DeliverAll(host, [batch]);
        int latentWrites() => host.Store.Records.Keys.Count(k => k.StartsWith("latent:"));
        Assert.Equal(0, latentWrites());
        await host.FireTimersAsync();
        Assert.Equal(batch.Partitions.Sum(p => p.Deltas.Length), latentWrites());
        await host.FireTimersAsync();                  // the latent index partitions the flushes activated write theirs
        int writes = host.Store.Writes;
        await host.FireTimersAsync();                  // nothing dirty: no write
        Assert.Equal(writes, host.Store.Writes);
    }

    [Fact]
    public async Task TheWriteBehindTimerRunsOnlyWhileALatentHasSomethingUnwritten()
    {
        var host = new TestGrainHost(latentOptions: new LatentGrainOptions(TimeSpan.FromSeconds(1)));
        var batches = Batches(2);
        int latentTimers() => host.Timers.Count(t => !t.Disposed && t.Period == TimeSpan.FromSeconds(1));
        await DeliverAll(host, [batches[0]]);
        int touched = batches[0].Partitions.Sum(p => p.Deltas.Length);
        Assert.Equal(touched, latentTimers());
        await host.FireTimersAsync();                  // written: the latents' timers stop
        Assert.Equal(0, latentTimers());
        int writes = host.Store.Records.Keys.Count(k => k.StartsWith("latent:"));
        await DeliverAll(host, [batches[1]]);          // a new merge arms the timer again, and the timer writes it
        Assert.True(latentTimers() > 0);
        var before = host.Store.Writes;
        await host.FireTimersAsync();
        Assert.True(host.Store.Writes > before);
        Assert.Equal(0, latentTimers());
        Assert.True(writes > 0);
    }

    [Fact]
    public async Task CrashAfterACheckpointThenResumingGivesExactlyTheUninterruptedStatistics()
    {
        var all = Batches(10);
        var reference = new TestGrainHost();
        await DeliverAll(reference, all);

        var store = new InMemoryStore();
        var host = new TestGrainHost(store);
        await DeliverAll(host, all.Take(6));
        for (int s = 0; s < 4; s++) await host.GetGrain<ILatentGrain>($"sae/{s}").FlushAsync();   // checkpoint: batches 0..5 durable
        await DeliverAll(host, all.Skip(6).Take(3));     // merged in memory only, partly flushed:
        await host.GetGrain<ILatentGrain>("sae/0").FlushAsync();
        host.Crash();                                    // the rest is lost

        var resumed = new TestGrainHost(store);
        await DeliverAll(resumed, all.Skip(6));          // ingestion resumes after its checkpoint (batch 5)
        for (int s = 0; s < 4; s++)
            Assert.Equal(Json(await reference.GetGrain<ILatentGrain>($"sae/{s}").GetAsync()),
                         Json(await resumed.GetGrain<ILatentGrain>($"sae/{s}").GetAsync()));
    }

    [Fact]
    public void LatentStateRoundTripsThroughJson()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var g = new SketchGen(seed);
            var state = new LatentState { SemanticLabels = new SemanticLabeling("v", [new("x", 0.2)]) };
            for (int b = 0; b < 3; b++) state.TryMerge(new LatentDelta("c", g.Rng.Next(20), -1, g.LatentSketch(Layout)));
            var back = JsonSerializer.Deserialize<LatentState>(JsonSerializer.Serialize(state))!;
            SketchAssert.Equal(state.Sketch, back.Sketch);
            Assert.Equal(state.Sketch.References.Items.Select(r => r.Heatmap), back.Sketch.References.Items.Select(r => r.Heatmap));
            Assert.Equal(state.Ledger.Corpora["c"].Above, back.Ledger.Corpora["c"].Above);
            Assert.Equal(state.Ledger.Corpora["c"].Watermark, back.Ledger.Corpora["c"].Watermark);
            Assert.Equal(JsonSerializer.Serialize(state), JsonSerializer.Serialize(back));
        }
    }

    [Fact]
    public void BadLatentKeysAreRejectedWithTheKeyNamed()
    {
        Assert.Equal(("org/sae", 12), LatentKey.Parse("org/sae/12"));
        Assert.Contains("'sae-only'", Assert.Throws<ArgumentException>(() => LatentKey.Parse("sae-only")).Message);
    }
}
