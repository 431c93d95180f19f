using Actors.Analysis.Patches;
using Actors.Tensors;

namespace Actors.Analysis.Tests.Patches;

public class TopKMaskingTests
{
    private const int Latents = 60, Classes = 5, ImagesPerClass = 20;

    /// <summary>
    /// Class c's discriminative latents are 10c..10c+4: frequent in its images (class-level counts 100..96) and the
    /// reason it is recognised. Latents 50..59 are frequent everywhere but useless (the dataset-level top). The fake
    /// classifier gets 4 images right per discriminative latent kept, so its accuracy has a closed form.
    /// </summary>
    private static ClassLevelActivations Planted()
    {
        var table = ClassLevelActivations.Empty(Classes, Latents);
        for (int c = 0; c < Classes; c++)
        {
            var row = table.Counts.AsSpan(c * Latents, Latents);
            for (int j = 0; j < 5; j++) row[10 * c + j] = 100 - j;
            for (int s = 50; s < Latents; s++) row[s] = 90;
            for (int s = 0; s < 50; s++) if (row[s] == 0) row[s] = (s * 7 + c) % 5;
        }
        return table;
    }

    private static int[] Discriminative(int c) => Enumerable.Range(10 * c, 5).ToArray();

    private static ClassAccuracy Classify(int c, LatentMask mask) =>
        new(4 * Discriminative(c).Count(s => mask.Kept[s]), ImagesPerClass);

    [Fact]
    public void TopLatentsMatchAFullSortWithLowerIndexFirstOnTies()
    {
        var rng = new SplitMix64(71);
        var a = Enumerable.Range(0, 500).Select(_ => (long)rng.NextInt(20)).ToArray();
        foreach (int k in new[] { 0, 1, 5, 100, 500, 600 })
            Assert.Equal(Enumerable.Range(0, 500).OrderByDescending(s => a[s]).ThenBy(s => s).Take(k), TopKMasking.TopLatents(a, k));
    }

    [Fact]
    public void OnMasksKeepOnlyTheSelectedLatentsAndOffMasksAllButThem()
    {
        var on = LatentMask.For([3, 1], 6, MaskMode.On);
        var off = LatentMask.For([3, 1], 6, MaskMode.Off);
        Assert.Equal([false, true, false, true, false, false], on.Kept);
        Assert.Equal([true, false, true, false, true, true], off.Kept);
        Assert.Equal(2, on.KeptCount);
        Assert.Equal(4, off.KeptCount);
    }

    [Fact]
    public void RandomKIsSeededDistinctAndDrawnAnewPerClass()
    {
        var table = Planted();
        var a = TopKMasking.Select(LatentSelection.RandomK, table, 2, 20, seed: 5);
        Assert.Equal(a, TopKMasking.Select(LatentSelection.RandomK, table, 2, 20, seed: 5));
        Assert.Equal(20, a.Distinct().Count());
        Assert.All(a, s => Assert.InRange(s, 0, Latents - 1));
        Assert.NotEqual(a, TopKMasking.Select(LatentSelection.RandomK, table, 3, 20, seed: 5));
        Assert.NotEqual(a, TopKMasking.Select(LatentSelection.RandomK, table, 2, 20, seed: 6));
        Assert.Equal(Enumerable.Range(0, Latents), TopKMasking.Select(LatentSelection.RandomK, table, 0, Latents).Order());
        Assert.Equal(a[..5], TopKMasking.Select(LatentSelection.RandomK, table, 2, 5, seed: 5)); // nested across k
    }

    [Fact]
    public void ClassTopKOnRecoversAccuracyAndOffDestroysItWhileDatasetTopKDoesNeither()
    {
        var table = Planted();
        int[] ks = [1, 2, 5, 10];
        var on = TopKMasking.Run(table, LatentSelection.ClassTopK, MaskMode.On, ks, Classify);
        var off = TopKMasking.Run(table, LatentSelection.ClassTopK, MaskMode.Off, ks, Classify);
        var datasetOn = TopKMasking.Run(table, LatentSelection.DatasetTopK, MaskMode.On, ks, Classify);
        var datasetOff = TopKMasking.Run(table, LatentSelection.DatasetTopK, MaskMode.Off, ks, Classify);
        for (int p = 0; p < ks.Length; p++)
        {
            // Class top-k are the class's discriminative latents first: min(k, 5) of them.
            double kept = Math.Min(ks[p], 5) * 4.0 / ImagesPerClass;
            Assert.Equal(ks[p], on.Points[p].K);
            Assert.Equal(kept, on.Points[p].Accuracy, 12);
            Assert.Equal(1 - kept, off.Points[p].Accuracy, 12);
            Assert.Equal(0, datasetOn.Points[p].Accuracy, 12);  // the dataset top-10 are the useless latents 50..59
            Assert.Equal(1, datasetOff.Points[p].Accuracy, 12);
            Assert.Equal(on.Points[p].Accuracy, on.Points[p].MeanClassAccuracy, 12);
        }
    }

    [Fact]
    public void RandomKAccuracyIsThatOfEachClassOwnSeededDraw()
    {
        var table = Planted();
        int[] ks = [5, 20, 40];
        var on = TopKMasking.Run(table, LatentSelection.RandomK, MaskMode.On, ks, Classify, seed: 9);
        var off = TopKMasking.Run(table, LatentSelection.RandomK, MaskMode.Off, ks, Classify, seed: 9);
        for (int p = 0; p < ks.Length; p++)
        {
            double expected = Enumerable.Range(0, Classes).Sum(c =>
                4 * TopKMasking.Select(LatentSelection.RandomK, table, c, ks[p], seed: 9).Intersect(Discriminative(c)).Count()) / (double)(Classes * ImagesPerClass);
            Assert.Equal(expected, on.Points[p].Accuracy, 12);
            Assert.Equal(1 - expected, off.Points[p].Accuracy, 12);
        }
    }

    [Fact]
    public void EachClassIsEvaluatedUnderItsOwnMaskAndAccuracyPoolsImages()
    {
        var table = Planted();
        var seen = new List<(int Class, int[] Kept)>();
        // Unbalanced classes: class c has c + 1 images, all correct for even c, none for odd c.
        var curve = TopKMasking.Run(table, LatentSelection.ClassTopK, MaskMode.On, [3], (c, mask) =>
        {
            seen.Add((c, Enumerable.Range(0, Latents).Where(s => mask.Kept[s]).ToArray()));
            return new ClassAccuracy(c % 2 == 0 ? c + 1 : 0, c + 1);
        });
        Assert.Equal(Enumerable.Range(0, Classes), seen.Select(v => v.Class));
        Assert.All(seen, v => Assert.Equal(Discriminative(v.Class)[..3], v.Kept));
        Assert.Equal((1 + 3 + 5) / 15.0, curve.Points[0].Accuracy, 12);
        Assert.Equal(3 / 5.0, curve.Points[0].MeanClassAccuracy, 12);
    }

    [Fact]
    public void DefaultKsRunFromOneToAllLatents()
    {
        Assert.Equal([1, 2, 5, 10, 50, 100, 500, 1000, 2000, 49152], TopKMasking.DefaultKs(49152));
        Assert.Equal([1, 2, 5, 10, 50, 60], TopKMasking.DefaultKs(60));
    }
}
