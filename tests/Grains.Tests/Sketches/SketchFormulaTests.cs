using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Sketches;

/// <summary>Each sketch's statistic against an independent direct computation.</summary>
public class SketchFormulaTests
{
    [Fact]
    public void MomentsMatchATwoPassMeanAndVarianceForAnySplit()
    {
        var rng = new Random(3);
        for (int iter = 0; iter < 200; iter++)
        {
            var xs = Enumerable.Range(0, rng.Next(1, 60)).Select(_ => 1e6 + rng.NextDouble() * 10).ToArray();
            double mean = xs.Average();
            double ss = xs.Sum(x => (x - mean) * (x - mean));
            int cut = rng.Next(xs.Length + 1);
            var m = Moments.Merge(Moments.Of(xs[..cut]), Moments.Of(xs[cut..]));
            Assert.Equal(xs.Length, m.Count);
            SketchAssert.Close(mean, m.Mean, "mean");
            SketchAssert.Close(ss / xs.Length, m.PopulationVariance, "variance", 1e-7);
            if (xs.Length > 1) SketchAssert.Close(ss / (xs.Length - 1), m.SampleVariance, "sample variance", 1e-7);
        }
    }

    [Fact]
    public void MomentsWithZerosEqualMomentsOfTheValuesPaddedWithZeros()
    {
        double[] xs = [0.5, 2, 3.5];
        var padded = xs.Concat(new double[4]).ToArray();
        SketchAssert.Equal(Moments.Of(padded), Moments.Of(xs).WithZeros(4));
    }

    [Fact]
    public void HistogramSlotsFollowTheLogSpacedEdges()
    {
        Assert.Equal(0, LogHistogram.SlotOf(0));
        Assert.Equal(0, LogHistogram.SlotOf(-3));
        Assert.Equal(0, LogHistogram.SlotOf(double.NaN));
        Assert.Equal(0, LogHistogram.SlotOf(0.99e-4));
        Assert.Equal(1, LogHistogram.SlotOf(1e-4));
        Assert.Equal(LogHistogram.Length - 1, LogHistogram.SlotOf(1e4));
        Assert.Equal(LogHistogram.Length - 2, LogHistogram.SlotOf(9.99e3));
        // every range bin holds its lower edge's neighbourhood: x slightly above edge b lands in bin b
        for (int b = 0; b < LogHistogram.RangeBins; b++)
        {
            double inside = LogHistogram.LowerEdge(b) * 1.0001;
            Assert.Equal(1 + b, LogHistogram.SlotOf(inside));
        }
        Assert.Equal(1 + 40, LogHistogram.SlotOf(1.0));   // 10^0 starts the 41st bin: (0 − (−4))·10
    }

    [Fact]
    public void HistogramRejectsAWrongNumberOfCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => new LogHistogram(new long[3]));
        Assert.Contains("found 3", e.Message);
    }

    [Fact]
    public void TopReferencesKeepTheKBestDistinctImagesOfTheUnionSortedDescending()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var g = new SketchGen(seed);
            var all = Enumerable.Range(0, g.Rng.Next(0, 25)).Select(_ => g.Reference(12)).ToList();
            var top = new TopReferences(6);
            foreach (var r in all) top.Add(r);
            var expected = all.GroupBy(r => (r.Image.CorpusId, r.Image.ImageId))
                .Select(grp => grp.OrderBy(r => r, Comparer<ReferenceImage>.Create(ReferenceImage.CompareRank)).First())
                .OrderByDescending(r => r.Activation).ThenBy(r => r.Image.CorpusId, StringComparer.Ordinal)
                .ThenBy(r => r.Image.ImageId, StringComparer.Ordinal).Take(6)
                .Select(r => (r.Image, r.Activation));
            Assert.Equal(expected, top.Items.Select(r => (r.Image, r.Activation)));
        }
    }

    [Fact]
    public void LabelEntropyIsEquationThreeOfPatchSae()
    {
        var l = new LabelCounts();
        Assert.Equal(0, l.Entropy());
        l.Add("duck", 3);
        Assert.Equal(0, l.Entropy());                 // one label only: entropy zero (seed 002 Sec. 3.2)
        l.Add("water", 1);
        l.Add("duck", 0);
        double p = 3.0 / 4, q = 1.0 / 4;
        SketchAssert.Close(-(p * Math.Log(p) + q * Math.Log(q)), l.Entropy(), "entropy");
        var uniform = new LabelCounts();
        foreach (var label in new[] { "a", "b", "c", "d" }) uniform.Add(label, 2.5);
        SketchAssert.Close(Math.Log(4), uniform.Entropy(), "uniform entropy");
        Assert.Equal(2, l.Labels["duck"].Images);
    }

    /// <summary>
    /// The summary's top label and entropy, read off the class moments, equal those of the label map built from them
    /// (top by MaxBy over (mass, label), Eq. 3 through <see cref="LabelCounts.Entropy"/>), bit for bit; ties of mass,
    /// zero and negative masses included.
    /// </summary>
    [Fact]
    public void TopLabelAndEntropyFromMomentsEqualTheLabelMapsOwn()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 500; trial++)
        {
            var classes = new ClassMoments();
            for (int n = rng.Next(0, 12); n > 0; n--)
                classes.Add($"label{rng.Next(20)}", rng.Next(5) switch { 0 => 0, 1 => -rng.NextDouble(), 2 => 1.5, _ => rng.NextDouble() * 4 });
            var map = LabelCounts.From(classes);
            string? expectedTop = map.Labels.Count == 0 ? null : map.Labels.MaxBy(kv => (kv.Value.Activation, kv.Key)).Key;
            var (top, entropy) = LabelCounts.TopAndEntropy(classes);
            Assert.Equal(expectedTop, top);
            Assert.Equal(BitConverter.DoubleToInt64Bits(map.Entropy()), BitConverter.DoubleToInt64Bits(entropy));
        }
    }

    [Fact]
    public void AClassCountsItsImagesWhereTheLatentNeverFiredAsZeros()
    {
        var c = new ClassMoments();
        double[] duck = [1, 2, 3, 6];
        foreach (var x in duck) c.Add("duck", x);
        var withZeros = c.ForClass("duck", classImages: 6);   // two duck images where the latent never fired
        double[] full = [.. duck, 0, 0];
        double mean = full.Average();
        Assert.Equal(6, withZeros.Count);
        SketchAssert.Close(mean, withZeros.Mean, "mean");
        SketchAssert.Close(Math.Sqrt(full.Sum(x => (x - mean) * (x - mean)) / (full.Length - 1)), withZeros.SampleStdDev, "sd");
    }

    [Fact]
    public void LedgerAppliesEachBatchOnceAndStaysCompact()
    {
        var ledger = new BatchLedger();
        Assert.True(ledger.TryAdd("c", 2));
        Assert.False(ledger.TryAdd("c", 2));
        Assert.True(ledger.TryAdd("other", 2));
        Assert.True(ledger.TryAdd("c", 0));
        Assert.True(ledger.TryAdd("c", 1));
        var c = ledger.Corpora["c"];
        Assert.Equal(2, c.Watermark);                  // 0,1,2 contiguous: folded into the watermark
        Assert.Empty(c.Above);
        Assert.True(ledger.TryAdd("c", 10));
        Assert.True(ledger.TryAdd("c", 7));
        Assert.Equal([7, 10], c.Above);
        Assert.True(ledger.TryAdd("c", 12, durableThrough: 8));   // checkpoint 8: ids ≤ 8 never come again
        Assert.Equal(8, c.Watermark);
        Assert.Equal([10, 12], c.Above);
        Assert.False(ledger.TryAdd("c", 5));
        Assert.False(ledger.TryAdd("c", 12));
        Assert.True(ledger.TryAdd("c", 9));
        Assert.Equal(10, c.Watermark);
        Assert.Equal([12], c.Above);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.TryAdd("c", -1));
    }

    [Fact]
    public void LedgerTakesABatchRangeWholeOrNotAtAll()
    {
        var ledger = new BatchLedger();
        Assert.True(ledger.TryAddRange("c", 0, 4));
        Assert.Equal(3, ledger.Corpora["c"].Watermark);
        Assert.False(ledger.TryAddRange("c", 0, 4));                      // re-sent whole: nothing changes
        Assert.True(ledger.TryAddRange("c", 8, 4, durableThrough: 3));
        Assert.Equal([8, 9, 10, 11], ledger.Corpora["c"].Above);
        var e = Assert.Throws<InvalidOperationException>(() => ledger.TryAddRange("c", 6, 4));   // 8, 9 merged, 6, 7 not
        Assert.Contains("batches 6..9", e.Message);
        Assert.Equal([8, 9, 10, 11], ledger.Corpora["c"].Above);          // and nothing was added
        Assert.Equal(8, ledger.AppliedCount("c"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.TryAddRange("c", 20, 0));
    }

    [Fact]
    public void LedgerMatchesANaiveSetUnderRandomDelivery()
    {
        var rng = new Random(5);
        var ledger = new BatchLedger();
        var seen = new HashSet<long>();
        long checkpoint = -1;
        for (int i = 0; i < 3000; i++)
        {
            long id = checkpoint + 1 + rng.Next(40);
            if (rng.Next(50) == 0) checkpoint = seen.Count == 0 ? checkpoint : Enumerable.Range(0, (int)seen.Max() + 1).TakeWhile(x => seen.Contains(x)).DefaultIfEmpty(-1).Max();
            Assert.Equal(seen.Add(id), ledger.TryAdd("c", id, checkpoint));
        }
        Assert.True(ledger.Corpora["c"].Above.Count < seen.Count);
    }
}
