using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Sketches;

/// <summary>
/// The grain merge hot path's shortcuts against the plain versions they replace: the linear top-k merge against
/// candidate-by-candidate insertion, the occupied-span histogram merge against a full element-wise sum, the
/// ledger's in-order fast path and corpus cache against a naive set, and label canonicalisation in the sketcher.
/// </summary>
public class FastMergePathTests
{
    static IEnumerable<(ImageRef, double)> Ranked(TopReferences t) => t.Items.Select(r => (r.Image, r.Activation));

    /// <summary>The definition, naively: union, best entry per image, rank order, first k.</summary>
    static IEnumerable<(ImageRef, double)> NaiveTopK(IEnumerable<ReferenceImage> all, int k) =>
        all.GroupBy(r => (r.Image.CorpusId, r.Image.ImageId))
            .Select(grp => grp.OrderBy(r => r, Comparer<ReferenceImage>.Create(ReferenceImage.CompareRank)).First())
            .OrderBy(r => r, Comparer<ReferenceImage>.Create(ReferenceImage.CompareRank)).Take(k)
            .Select(r => (r.Image, r.Activation));

    [Fact]
    public void LinearTopKMergeEqualsTheNaiveUnionAndTheOneByOneInsertion()
    {
        for (int seed = 0; seed < 2000; seed++)
        {
            var g = new SketchGen(seed);
            int ka = 1 + g.Rng.Next(8), kb = 1 + g.Rng.Next(8);
            var a = new TopReferences(ka); var b = new TopReferences(kb);
            int pool = 3 + g.Rng.Next(20);                          // small pools: many repeated images
            for (int i = g.Rng.Next(12); i > 0; i--) a.Add(g.Reference(pool));
            for (int i = g.Rng.Next(12); i > 0; i--) b.Add(g.Reference(pool));

            var aBefore = Ranked(a).ToList();
            var oneByOne = new TopReferences(Math.Max(ka, kb)) { Items = [.. a.Items] };
            foreach (var r in b.Items) oneByOne.Add(r);
            var fast = a.Clone();
            fast.MergeFrom(b);

            var expected = NaiveTopK(a.Items.Concat(b.Items), Math.Max(ka, kb)).ToList();
            Assert.Equal(expected, Ranked(fast));
            Assert.Equal(expected, Ranked(oneByOne));
            Assert.Equal(Math.Max(ka, kb), fast.Capacity);
            Assert.Equal(aBefore, Ranked(a));                         // the clone owns its entries: its source is untouched
        }
    }

    [Fact]
    public void TopKMergeKeepsTheBetterEntryOfAnImageOnEitherSide()
    {
        ReferenceImage R(string id, double act) => new(new ImageRef("c", id, "h"), act, null, 1, [0f]);
        var a = new TopReferences(3) { Items = [R("x", 5), R("y", 2), R("z", 1)] };
        var b = new TopReferences(3) { Items = [R("y", 4), R("x", 3), R("w", 0.5)] };
        a.MergeFrom(b);
        Assert.Equal([("x", 5.0), ("y", 4.0), ("z", 1.0)], a.Items.Select(r => (r.Image.ImageId, r.Activation)));
    }

    [Fact]
    public void AdmittingByActivationAndImageDecidesAsAdmittingTheEntry()
    {
        // Few distinct activations and images, NaN among them, so ties on activation and on image order are common.
        double[] activations = [0.5, 1, 1, 2, double.NaN, 3];
        var rng = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            var list = new TopReferences(rng.Next(1, 5));
            for (int n = rng.Next(0, 8); n > 0; n--)
                list.Add(new ReferenceImage(new ImageRef("c", $"i{rng.Next(6)}", "h"), activations[rng.Next(activations.Length)], null, 1, [0f]));
            for (int probe = 0; probe < 20; probe++)
            {
                var image = new ImageRef(rng.Next(2) == 0 ? "c" : "d", $"i{rng.Next(6)}", "h");
                double activation = activations[rng.Next(activations.Length)];
                Assert.Equal(list.Admits(new ReferenceImage(image, activation, "label", 1, [1f])), list.Admits(activation, image));
            }
        }
    }

    [Fact]
    public void ReplacingAnImageWithAWithExpressionChangesWhichImageItIs()
    {
        var r = new ReferenceImage(new ImageRef("c", "a", "h"), 1, null, 1, [0f]);
        var moved = r with { Image = new ImageRef("c", "b", "h") };
        Assert.False(moved.SameImageAs(r));
        Assert.True(moved.SameImageAs(new ReferenceImage(new ImageRef("c", "b", "other-hash"), 2, "l", 1, [1f])));
        Assert.Equal(r, r with { Activation = 1 });                  // record equality still by value
    }

    [Fact]
    public void SparseDeltaHistogramsMergeLikeAFullElementwiseSum()
    {
        for (int seed = 0; seed < 500; seed++)
        {
            var g = new SketchGen(seed);
            var full = g.Histogram();                                // spans every slot
            var expected = (long[])full.Counts.Clone();
            for (int d = 0; d < 3; d++)
            {
                var delta = LogHistogram.Sparse();
                for (int i = g.Rng.Next(0, 8); i > 0; i--) delta.Add(g.Activation());
                for (int s = 0; s < LogHistogram.Length; s++) expected[s] += delta.Counts[s];
                // sparse into sparse, then into the accumulator: spans must grow as a union
                var sparse = LogHistogram.Sparse();
                sparse.MergeFrom(delta);
                full.MergeFrom(sparse.Clone());
            }
            Assert.Equal(expected, full.Counts);
        }
    }

    [Fact]
    public void HistogramsWrittenThroughTheirCountsStillMergeEverySlot()
    {
        var written = new LogHistogram();
        written.Counts[0] = 2; written.Counts[LogHistogram.Length - 1] = 3; written.Counts[40] = 1;
        var into = new LogHistogram();
        into.MergeFrom(written);
        Assert.Equal(written.Counts, into.Counts);
        var fromCounts = new LogHistogram((long[])written.Counts.Clone());
        into.MergeFrom(fromCounts);
        Assert.Equal(6, into.Counts[LogHistogram.Length - 1]);
    }

    [Fact]
    public void LedgerFastPathAndCorpusCacheMatchANaiveSetAcrossInterleavedCorpora()
    {
        var rng = new Random(11);
        var ledger = new BatchLedger();
        var seen = new Dictionary<string, HashSet<long>>();
        var next = new Dictionary<string, long>();
        string[] corpora = ["a", "b", new string('a', 1)];           // equal content, different instance
        for (int i = 0; i < 5000; i++)
        {
            string c = corpora[rng.Next(corpora.Length)];
            string key = c == "a" ? "a" : c;
            long n = next.GetValueOrDefault(key);
            // mostly in order; sometimes a repeat, a gap, or an old id
            long id = rng.Next(10) switch { 0 => Math.Max(0, n - 1 - rng.Next(5)), 1 => n + rng.Next(1, 4), _ => n };
            if (!seen.TryGetValue(key, out var set)) seen[key] = set = [];
            Assert.Equal(set.Add(id), ledger.TryAdd(c, id));
            next[key] = Math.Max(n, id + 1);
        }
        Assert.Equal(2, ledger.Corpora.Count);
        foreach (var (c, set) in seen)
        {
            Assert.Equal(set.Count, ledger.AppliedCount(c));
            foreach (var id in set) Assert.True(ledger.Contains(c, id));
        }
    }

    [Fact]
    public void LedgerAppendsAscendingIdsPastAGapAndFoldsThemWhenTheGapFills()
    {
        var ledger = new BatchLedger();
        Assert.True(ledger.TryAdd("c", 0));
        Assert.True(ledger.TryAdd("c", 2));
        Assert.True(ledger.TryAdd("c", 3));
        Assert.True(ledger.TryAdd("c", 5));
        Assert.Equal([2, 3, 5], ledger.Corpora["c"].Above);
        Assert.True(ledger.TryAdd("c", 1));
        Assert.Equal(3, ledger.Corpora["c"].Watermark);
        Assert.Equal([5], ledger.Corpora["c"].Above);
        Assert.True(ledger.TryAdd("c", 4, durableThrough: 9));      // fast path with a checkpoint beyond it
        Assert.Equal(9, ledger.Corpora["c"].Watermark);
        Assert.Empty(ledger.Corpora["c"].Above);
        Assert.False(ledger.TryAdd("c", 7));
    }

    [Fact]
    public void SketcherGivesEqualLabelsOneStringInstanceAcrossBatches()
    {
        var layout = new TokenLayout(5, true);
        var sketcher = new BatchSketcher(4, layout, 1);
        string?[] Labels() => [new string("duck".ToCharArray()), new string("duck".ToCharArray()), null];
        SaeBatch Batch(int b) => new(
            [new ImageRef("c", $"{b}/0", "h"), new ImageRef("c", $"{b}/1", "h"), new ImageRef("c", $"{b}/2", "h")], Labels(),
            Enumerable.Range(0, 16).Select(t => t).ToArray(), Enumerable.Repeat(1, 15).ToArray(), Enumerable.Repeat(0.5f, 15).ToArray());
        var first = sketcher.Sketch("sae", "c", 0, -1, Batch(0));
        var second = sketcher.Sketch("sae", "c", 1, -1, Batch(1));
        string k1 = first.Partitions[0].Deltas.Single().Delta.Sketch.Labels().Labels.Keys.Single();
        string k2 = second.Partitions[0].Deltas.Single().Delta.Sketch.Labels().Labels.Keys.Single();
        Assert.Equal("duck", k1);
        Assert.Same(k1, k2);
        Assert.Equal(2, second.Totals.ClassImages["duck"]);
        Assert.Equal(2, second.Partitions[0].Deltas.Single().Delta.Sketch.Labels().Labels["duck"].Images);
    }
}
