using Actors.Analysis.Patches;
using Actors.Tensors;

namespace Actors.Analysis.Tests.Patches;

public class SharedSaeComparisonTests
{
    [Fact]
    public void LatentsAreGroupedByTheTop50AndTop100BoundsOfEachBackbone()
    {
        // 300 latents. Before (CLIP): latents 0..149 at 300 − s, the rest 0. After (MaPLe): the same except latent 0
        // drops to 0 (high-to-low), latent 60 drops to 5 (from between the bounds: no group), latent 40 drops to 220
        // (to between the bounds: no group), latent 200 rises to 1000 (low-to-high), latent 120 rises to 240 (from low
        // to between the bounds: no group).
        var before = new long[300]; var after = new long[300];
        for (int s = 0; s < 150; s++) before[s] = after[s] = 300 - s;
        after[0] = 0; after[60] = 5; after[40] = 220; after[200] = 1000; after[120] = 240;
        var groups = SharedSaeComparison.Classify(before, after);

        // before: upper = 50th largest = 251 (latents 0..49), lower = 100th largest = 201 (latents 0..99).
        // after: 1000 (latent 200), 299..251 (latents 1..49 but 40: 48 values), 250 (latent 50): the 50th largest is 250;
        //   with 249..201 (latents 51..99 but 60: 49 values), 240 and 220 the 100th largest is 201 (latent 99).
        var expectedHigh = Enumerable.Range(1, 49).Where(s => s != 40).ToArray();
        Assert.Equal(expectedHigh, groups.High);
        Assert.Equal([0], groups.HighToLow);
        Assert.Equal([200], groups.LowToHigh);
    }

    [Fact]
    public void GroupsMatchANaiveSortedThresholdDefinitionOnRandomCounts()
    {
        var rng = new SplitMix64(81);
        for (int trial = 0; trial < 30; trial++)
        {
            int d = 50 + rng.NextInt(400);
            var before = new long[d]; var after = new long[d];
            for (int s = 0; s < d; s++)
            {
                before[s] = rng.NextDouble() < 0.5 ? 0 : rng.NextInt(300);
                after[s] = rng.NextDouble() < 0.3 ? before[s] : rng.NextDouble() < 0.5 ? 0 : rng.NextInt(300);
            }
            long Nth(long[] a, int n) => a.OrderDescending().ElementAt(Math.Min(n, d) - 1);
            bool High(long[] a, int s) => a[s] > 0 && a[s] >= Nth(a, 50);
            bool Low(long[] a, int s) => a[s] == 0 || a[s] < Nth(a, 100);
            var groups = SharedSaeComparison.Classify(before, after);
            Assert.Equal(Enumerable.Range(0, d).Where(s => High(before, s) && High(after, s)), groups.High);
            Assert.Equal(Enumerable.Range(0, d).Where(s => High(before, s) && Low(after, s)), groups.HighToLow);
            Assert.Equal(Enumerable.Range(0, d).Where(s => Low(before, s) && High(after, s)), groups.LowToHigh);
        }
    }

    [Fact]
    public void AnUnchangedBackboneHasNoOffDiagonalLatentsAndFewActiveLatentsAreAllHigh()
    {
        var a = new long[1000];
        for (int s = 0; s < 30; s++) a[s * 7] = 5 + s;
        var groups = SharedSaeComparison.Classify(a, a);
        Assert.Equal(Enumerable.Range(0, 30).Select(s => s * 7), groups.High);
        Assert.Empty(groups.HighToLow);
        Assert.Empty(groups.LowToHigh);
    }

    [Fact]
    public void PerClassCountsAverageOverClasses()
    {
        var before = ClassLevelActivations.Empty(2, 200);
        var after = ClassLevelActivations.Empty(2, 200);
        for (int c = 0; c < 2; c++)
        for (int s = 0; s < 100; s++)
            before.Counts[c * 200 + s] = after.Counts[c * 200 + s] = 200 - s;
        after.Counts[0 * 200 + 150] = 999; // class 0: one low-to-high latent, which pushes latent 49 below the upper bound
        var perClass = SharedSaeComparison.PerClass(before, after);
        Assert.Equal([150], perClass[0].LowToHigh);
        Assert.Equal(49, perClass[0].High.Length);
        Assert.Equal(50, perClass[1].High.Length);
        var mean = SharedSaeComparison.MeanCounts(perClass);
        Assert.Equal(new AdaptationGroupCounts(49.5, 0, 0.5), mean);
    }

    [Theory]
    [InlineData(42.61, 73.07, 0.5308)] // EuroSAT base, seed 002 Table 1: Δ 53.08 %
    [InlineData(69.88, 73.80, 0.1301)] // ImageNet base: Δ 13.01 %
    public void ImprovementRateReproducesTable1(double zeroShot, double adapted, double delta) =>
        Assert.Equal(delta, AdaptationImprovement.Rate(zeroShot, adapted), 4);
}
