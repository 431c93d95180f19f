using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Actors.Grains.Tests.Sketches;

/// <summary>
/// Every sketch and message type through Orleans's serializer (what crosses silos and what storage holds) and its
/// deep copier (what a call inside one silo passes): the copy equals the original, and — the property that
/// matters — merging into or from the copy gives what merging the original gives, caches included.
/// </summary>
public class SerializationRoundTripTests
{
    const int Seeds = 60;
    static readonly TokenLayout Layout = new(5, true);
    static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    static readonly Serializer Serializer = Services.GetRequiredService<Serializer>();
    static readonly DeepCopier Copier = Services.GetRequiredService<DeepCopier>();

    static IEnumerable<(string How, T Copy)> Copies<T>(T value)
    {
        yield return ("serializer", Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!);
        yield return ("copier", Copier.Copy(value)!);
    }

    /// <summary>For each seed: merge(copy, other) and merge(other, copy) equal the same merges of the original.</summary>
    static void MergesSurviveRoundTrip<T>(Func<SketchGen, T> gen, Func<T, T, T> merge, Action<T, T> assertEqual)
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            var g = new SketchGen(seed);
            T a = gen(g), other = gen(g);
            foreach (var (_, copy) in Copies(a))
            {
                assertEqual(a, copy);
                assertEqual(merge(a, other), merge(copy, other));
                assertEqual(merge(other, a), merge(other, copy));
            }
        }
    }

    [Fact]
    public void LatentSketchMergesTheSameAfterARoundTrip() =>
        MergesSurviveRoundTrip(g => g.LatentSketch(Layout), LatentSketch.Merge, SketchAssert.Equal);

    [Fact]
    public void TopReferencesMergeTheSameAfterARoundTrip() =>
        MergesSurviveRoundTrip(g => g.References(), TopReferences.Merge, SketchAssert.Equal);

    [Fact]
    public void AReferenceImageKeepsItsIdentityAfterARoundTrip()
    {
        var g = new SketchGen(3);
        var reference = g.Reference();
        foreach (var (how, copy) in Copies(reference))
        {
            Assert.True(copy.SameImageAs(reference), $"{how}: the copy is not the same image as its original");
            Assert.True(reference.SameImageAs(copy), how);
            Assert.Equal(reference.Heatmap, copy.Heatmap);
            Assert.Equal((reference.Image, reference.Activation, reference.Label, reference.HeatmapWidth),
                (copy.Image, copy.Activation, copy.Label, copy.HeatmapWidth));
            // A copy offered to a list already holding the original is the same image: it must not be kept twice.
            var top = new TopReferences(4);
            top.Add(reference);
            top.Add(copy with { Activation = reference.Activation + 1 });
            Assert.Single(top.Items);
        }
    }

    [Fact]
    public void HistogramMergesTheSameAfterARoundTripIncludingASparseDelta()
    {
        MergesSurviveRoundTrip(g => g.Histogram(), LogHistogram.Merge, (e, a) => Assert.Equal(e, a));
        var sparse = LogHistogram.Sparse();
        sparse.Add(0.5); sparse.Add(3);
        foreach (var (_, copy) in Copies(sparse))
        {
            copy.Add(200);
            var expected = LogHistogram.Merge(new LogHistogram(), sparse);
            expected.Add(200);
            Assert.Equal(expected, copy);
        }
    }

    [Fact]
    public void ScalarSketchesRoundTrip()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            var g = new SketchGen(seed);
            var moments = g.Moments(); var max = g.Max(); var firing = new FiringStats(g.Rng.Next(100), g.Rng.Next(10));
            foreach (var (_, m) in Copies(moments)) Assert.Equal(moments, m);
            foreach (var (_, m) in Copies(max)) Assert.Equal(max, m);
            foreach (var (_, f) in Copies(firing)) Assert.Equal(firing, f);
        }
    }

    [Fact]
    public void LabelAndClassSketchesMergeTheSameAfterARoundTrip()
    {
        MergesSurviveRoundTrip(g => g.Labels(), LabelCounts.Merge, SketchAssert.Equal);
        MergesSurviveRoundTrip(g => g.Classes(), ClassMoments.Merge, SketchAssert.Equal);
        MergesSurviveRoundTrip(g =>
        {
            var c = new ClassActivations();
            for (int i = g.Rng.Next(6); i > 0; i--) c.Add(g.Rng.Next(20), g.Rng.NextDouble() * 5, g.Rng.Next(1, 4));
            return c;
        }, (a, b) => { var m = a.Clone(); m.MergeFrom(b); return m; }, (e, a) => Assert.Equal(e.Latents.OrderBy(kv => kv.Key), a.Latents.OrderBy(kv => kv.Key)));
        MergesSurviveRoundTrip(g => new IngestTotals
            {
                Tokens = g.Rng.Next(1000), Images = g.Rng.Next(50), ClassImages = { [SketchGen.LabelPool[g.Rng.Next(3)]] = g.Rng.Next(9) },
                RelevanceImages = { [SketchGen.LabelPool[g.Rng.Next(3)]] = g.Rng.Next(9) },
            },
            (a, b) => { var m = a.Clone(); m.MergeFrom(b); return m; },
            (e, a) => Assert.Equal(Describe(e), Describe(a)));
        static string Describe(IngestTotals t) =>
            $"{t.Tokens} {t.Images} {string.Join(',', t.ClassImages.OrderBy(kv => kv.Key))} {string.Join(',', t.RelevanceImages.OrderBy(kv => kv.Key))}";
    }

    [Fact]
    public void LatentStateAndItsLedgerRoundTripAndKeepRejectingMergedBatches()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            var g = new SketchGen(seed);
            var state = new LatentState { SemanticLabels = new SemanticLabeling("v", [new("x", 0.2)]) };
            var deltas = Enumerable.Range(0, 4).Select(_ => new LatentDelta("c", g.Rng.Next(20), -1, g.LatentSketch(Layout))).ToList();
            foreach (var d in deltas) state.TryMerge(d);
            var next = new LatentDelta("c", 25, -1, g.LatentSketch(Layout));
            foreach (var (how, copy) in Copies(state))
            {
                SketchAssert.Equal(state.Sketch, copy.Sketch);
                Assert.Equal(state.Sketch.References.Items.Select(r => r.Heatmap), copy.Sketch.References.Items.Select(r => r.Heatmap));
                Assert.Equal(state.Ledger.Corpora["c"].Above, copy.Ledger.Corpora["c"].Above);
                Assert.Equal(state.Ledger.Corpora["c"].Watermark, copy.Ledger.Corpora["c"].Watermark);
                Assert.Equal("x", copy.SemanticLabels!.Labels[0].Text);
                Assert.All(deltas, d => Assert.False(copy.TryMerge(d), $"{how}: batch {d.BatchId} merged twice after a round trip"));
                var original = Copier.Copy(state);
                Assert.True(original.TryMerge(next));
                Assert.True(copy.TryMerge(next));
                SketchAssert.Equal(original.Sketch, copy.Sketch);
            }
        }
    }

    [Fact]
    public void AStateThatNeverMergedRoundTripsEmptyAndTakesItsFirstDelta()
    {
        var g = new SketchGen(7);
        var first = new LatentDelta("c", 0, -1, Enumerable.Range(0, 20).Select(_ => g.LatentSketch(Layout)).First(s => !s.IsEmpty));
        var fresh = new LatentState { SemanticLabels = new SemanticLabeling("v", [new("x", 0.2)]) };   // a label slot, no sketch yet
        foreach (var (how, copy) in Copies(fresh))
        {
            Assert.True(copy.Sketch.IsEmpty, how);
            Assert.Equal("x", copy.SemanticLabels!.Labels[0].Text);
            Assert.True(copy.TryMerge(first), how);
            SketchAssert.Equal(first.Sketch, copy.Sketch);
        }
    }

    [Fact]
    public void DeliveryMessagesRoundTrip()
    {
        var g = new SketchGen(4);
        for (int i = 0; i < 20; i++)
        {
            var delta = new LatentDelta("c", g.Rng.Next(100), g.Rng.Next(-1, 50), g.LatentSketch(Layout), g.Rng.Next(1, 9));
            var copy = Serializer.Deserialize<LatentDelta>(Serializer.SerializeToArray(delta))!;
            Assert.Equal((delta.CorpusId, delta.BatchId, delta.DurableThrough, delta.BatchCount),
                (copy.CorpusId, copy.BatchId, copy.DurableThrough, copy.BatchCount));
            SketchAssert.Equal(delta.Sketch, copy.Sketch);
        }
        var request = new Actors.Grains.Hosts.IngestionRequest("corpus", "sae", "vocabulary");
        Assert.Equal(request, Serializer.Deserialize<Actors.Grains.Hosts.IngestionRequest>(Serializer.SerializeToArray(request)));
        var stages = new IngestionStages(1, 2, 3, 4, 5);
        Assert.Equal(stages, Serializer.Deserialize<IngestionStages>(Serializer.SerializeToArray(stages)));
    }

    [Fact]
    public void ImmutableMessagesPassByReferenceInsideASilo()
    {
        var g = new SketchGen(1);
        var delta = new LatentDelta("c", 0, -1, g.LatentSketch(Layout));
        Assert.Same(delta, Copier.Copy(delta));
        var request = new Actors.Grains.Hosts.IngestionRequest("corpus", "sae");
        Assert.Same(request, Copier.Copy(request));
        var reference = g.Reference();
        Assert.Same(reference, Copier.Copy(reference));
    }
}
