using Actors.Analysis.Evaluation.Faithfulness;
using Actors.Tensors;
using static Actors.Analysis.Tests.Evaluation.EvaluationTestData;

namespace Actors.Analysis.Tests.Evaluation.Faithfulness;

public class FaithfulnessTests
{
    /// <summary>An additive model: y = bias + Σ_j c[s][j] over the latents left in (deletion) or put back (insertion),
    /// so the relevance c is exact and every curve has a closed form.</summary>
    private sealed class AdditiveModel(float[][] contribution, double bias)
    {
        public int Calls;

        public double Deleted(int s, ReadOnlySpan<int> deleted)
        {
            Calls++;
            double y = bias + contribution[s].Sum(v => (double)v);
            foreach (int j in deleted) y -= contribution[s][j];
            return y;
        }

        public double Inserted(int s, ReadOnlySpan<int> inserted)
        {
            Calls++;
            double y = bias;
            foreach (int j in inserted) y += contribution[s][j];
            return y;
        }
    }

    [Fact]
    public void TrapezoidAreaOfASquareCurveIsAThirdPlusHSquaredOverSix()
    {
        // y = x² at x = i/10: the trapezoid rule overestimates ∫x² = 1/3 by h²/6; the mean of the 11 points is 385/1100.
        var curve = Enumerable.Range(0, 11).Select(i => i * i / 100.0).ToArray();
        Assert.Equal(1.0 / 3 + 0.01 / 6, CurveArea.Of(curve, CurveAreaRule.Trapezoid), 14);
        Assert.Equal(385.0 / 1100, CurveArea.Of(curve, CurveAreaRule.MeanOfPoints), 14);
        Assert.Throws<ArgumentException>(() => CurveArea.Of([1.0]));
    }

    [Fact]
    public void MostRelevantMatchesAFullSortWithLowerIndexFirstOnTies()
    {
        var rng = new SplitMix64(11);
        for (int d = 1; d <= 60; d++)
        for (int count = 0; count <= 12; count++)
        {
            var r = Enumerable.Range(0, d).Select(_ => (float)Math.Round(4 * Gaussian(rng)) / 2).ToArray();
            var expected = Enumerable.Range(0, d).OrderByDescending(j => r[j]).ThenBy(j => j).Take(count).ToArray();
            Assert.Equal(expected, LatentOrdering.MostRelevant<float>(r, count));
        }
    }

    [Fact]
    public void DeletionByExactRelevanceTracesBiasPlusTheRemainingContributions()
    {
        var c = SparseVectors(20, 40, 0.5, 5);
        var model = new AdditiveModel(c, 0.1);
        var curves = FaithfulnessCurves.Deletion(LatentOrdering.Local(c, 10), model.Deleted, 10);
        for (int s = 0; s < c.Length; s++)
        {
            var sorted = c[s].Select(v => (double)v).OrderDescending().ToArray();
            double y = 0.1 + sorted.Sum();
            for (int i = 0; i <= 10; i++)
            {
                AssertClose(y, curves[s][i], 1e-12, 1e-12, $"sample {s} step {i}");
                y -= sorted[i];
            }
        }
        Assert.Equal(20 * 11, model.Calls);
    }

    [Fact]
    public void InsertionStartsFromAllLatentsAblatedAndAddsTheLargestContributionsFirst()
    {
        var c = SparseVectors(15, 30, 0.6, 6);
        var model = new AdditiveModel(c, -0.2);
        var curves = FaithfulnessCurves.Insertion(LatentOrdering.Local(c, 10), model.Inserted, 10);
        for (int s = 0; s < c.Length; s++)
        {
            var sorted = c[s].Select(v => (double)v).OrderDescending().ToArray();
            double y = -0.2;
            for (int i = 0; i <= 10; i++)
            {
                AssertClose(y, curves[s][i], 1e-12, 1e-12, $"sample {s} step {i}");
                y += sorted[i];
            }
        }
    }

    [Fact]
    public void ExactRelevanceDeletesFasterAndInsertsFasterThanARandomOrderOfActiveLatents()
    {
        // Positive contributions: deleting the largest first gives the pointwise lowest deletion curve and the
        // pointwise highest insertion curve, so its areas bound those of any other order.
        var rng = new SplitMix64(7);
        var c = Enumerable.Range(0, 36).Select(_ => Enumerable.Range(0, 50).Select(_ => rng.NextDouble() < 0.4 ? (float)rng.NextDouble() : 0f).ToArray()).ToArray();
        var model = new AdditiveModel(c, 0);
        var exactDel = FaithfulnessEvaluation.LocalDeletion("exact", c, model.Deleted);
        var exactIns = FaithfulnessEvaluation.LocalInsertion("exact", c, model.Inserted);
        var randomOrders = c.Select((a, s) => LatentOrdering.RandomActive(a, 10, (ulong)s)).ToArray();
        var randomDel = FaithfulnessEvaluation.Summarise("random", FaithfulnessSetting.LocalDeletion, FaithfulnessCurves.Deletion(randomOrders, model.Deleted, 10));
        var randomIns = FaithfulnessEvaluation.Summarise("random", FaithfulnessSetting.LocalInsertion, FaithfulnessCurves.Insertion(randomOrders, model.Inserted, 10));
        for (int i = 0; i <= 10; i++)
        {
            Assert.True(exactDel.MeanCurve[i] <= randomDel.MeanCurve[i] + 1e-12, $"deletion step {i}");
            Assert.True(exactIns.MeanCurve[i] >= randomIns.MeanCurve[i] - 1e-12, $"insertion step {i}");
        }
        Assert.True(exactDel.Auc < randomDel.Auc - 0.1, $"deletion AUC {exactDel.Auc} vs random {randomDel.Auc}");
        Assert.True(exactIns.Auc > randomIns.Auc + 0.1, $"insertion AUC {exactIns.Auc} vs random {randomIns.Auc}");
    }

    [Fact]
    public void RandomActiveIsASeededPermutationOfTheActiveLatentsOnly()
    {
        var a = new float[] { 0, 1, 0, 2, 3, 0, 0.5f, 0, 4, 5, 6, 7, 8 };
        var active = Enumerable.Range(0, a.Length).Where(j => a[j] != 0).ToArray();
        var all = LatentOrdering.RandomActive(a, 100, 42);
        Assert.Equal(active, all.Order().ToArray());
        Assert.Equal(all, LatentOrdering.RandomActive(a, 100, 42));
        Assert.NotEqual(all, LatentOrdering.RandomActive(a, 100, 43));
        Assert.Equal(all.Take(4), LatentOrdering.RandomActive(a, 4, 42));
    }

    [Fact]
    public void GlobalDeletionDeletesEachClassMeanTopLatentsFromEverySampleOfTheClass()
    {
        var r = SparseVectors(30, 25, 0.5, 8);
        var classOf = Enumerable.Range(0, 30).Select(s => s % 3).ToArray();
        var orders = LatentOrdering.GlobalPerClass(r, classOf, 10);
        for (int c = 0; c < 3; c++)
        {
            var members = Enumerable.Range(0, 30).Where(s => classOf[s] == c).ToArray();
            var mean = Enumerable.Range(0, 25).Select(j => members.Average(s => (double)r[s][j])).ToArray();
            var expected = Enumerable.Range(0, 25).OrderByDescending(j => mean[j]).ThenBy(j => j).Take(10).ToArray();
            foreach (int s in members) Assert.Equal(expected, orders[s]);
        }

        var seen = new List<(int Sample, int[] Deleted)>();
        FaithfulnessEvaluation.GlobalDeletion("m", r, classOf, (s, deleted) => { seen.Add((s, deleted.ToArray())); return 0; });
        Assert.All(seen, call => Assert.Equal(orders[call.Sample].Take(call.Deleted.Length), call.Deleted));
    }

    [Fact]
    public void RandomDeletionDeletesTheTopLatentsOfTheMeanOverEachClasssReferencesFromEverySampleOfTheClass()
    {
        // App. B.2 "Deletion (random)" on the additive model: class c's order is the top 10 of the mean of its
        // reference relevance, here 7 random vectors per class unrelated to the class's samples.
        var c = SparseVectors(27, 25, 0.5, 21);
        var classOf = Enumerable.Range(0, 27).Select(s => s / 9).ToArray();
        var references = Enumerable.Range(0, 3).Select(k => SparseVectors(7, 25, 0.6, 30 + (ulong)k)).ToArray();
        var reads = new int[3];
        IEnumerable<float[]> ReferencesOf(int k) { reads[k]++; return references[k]; }
        var model = new AdditiveModel(c, 0.2);
        var result = FaithfulnessEvaluation.RandomDeletion("m", ReferencesOf, classOf, model.Deleted);

        Assert.Equal([1, 1, 1], reads);   // each class's references are read once, however many samples it has
        Assert.Equal(FaithfulnessSetting.RandomDeletion, result.Setting);
        var expected = new double[27][];
        for (int s = 0; s < 27; s++)
        {
            var refs = references[classOf[s]];
            var mean = Enumerable.Range(0, 25).Select(j => refs.Average(r => (double)r[j])).ToArray();
            var order = Enumerable.Range(0, 25).OrderByDescending(j => mean[j]).ThenBy(j => j).Take(10).ToArray();
            expected[s] = Enumerable.Range(0, 11).Select(i => 0.2 + c[s].Sum(v => (double)v) - order.Take(i).Sum(j => (double)c[s][j])).ToArray();
        }
        for (int i = 0; i <= 10; i++) AssertClose(expected.Average(e => e[i]), result.MeanCurve[i], 1e-12, 1e-12, $"mean curve {i}");
        var auc = expected.Select(e => (e.Sum() - (e[0] + e[10]) / 2) / 10).ToArray();
        AssertClose(auc.Average(), result.Auc, 1e-12, 1e-12, "AUC");
        var subsets = Enumerable.Range(0, 9).Select(k => Enumerable.Range(0, 27).Where(s => s % 9 == k).Average(s => auc[s])).ToArray();
        double m = subsets.Average();
        AssertClose(Math.Sqrt(subsets.Sum(a => (a - m) * (a - m)) / 8) / 3, result.AucStandardError, 1e-10, 1e-12, "AUC SEM");
    }

    [Fact]
    public void RandomDeletionWithEachClasssOwnSamplesAsReferencesIsGlobalDeletion()
    {
        var r = SparseVectors(30, 25, 0.5, 8);
        var classOf = Enumerable.Range(0, 30).Select(s => s % 3).ToArray();
        var model = new AdditiveModel(r, 0.1);
        var global = FaithfulnessEvaluation.GlobalDeletion("m", r, classOf, model.Deleted);
        var own = FaithfulnessEvaluation.RandomDeletion("m", k => Enumerable.Range(0, 30).Where(s => classOf[s] == k).Select(s => r[s]), classOf, model.Deleted);
        Assert.Equal(global.MeanCurve, own.MeanCurve);
        Assert.Equal(global.SubsetAucs, own.SubsetAucs);
        Assert.Equal((global.Auc, global.AucStandardError), (own.Auc, own.AucStandardError));
        // References of another class give another order, so the property is not vacuous.
        var shifted = FaithfulnessEvaluation.RandomDeletion("m", k => Enumerable.Range(0, 30).Where(s => classOf[s] == (k + 1) % 3).Select(s => r[s]), classOf, model.Deleted);
        Assert.NotEqual(global.MeanCurve, shifted.MeanCurve);
    }

    [Fact]
    public void AucIsTheMeanOfPerSampleAucsAndItsErrorTheSemOfNineInterleavedSubsets()
    {
        var rng = new SplitMix64(9);
        int n = 50; // not a multiple of 9: subsets of 6 and 5 samples
        var curves = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 11).Select(_ => 20 + 5 * Gaussian(rng)).ToArray()).ToArray();
        foreach (var rule in new[] { CurveAreaRule.Trapezoid, CurveAreaRule.MeanOfPoints })
        {
            var result = FaithfulnessEvaluation.Summarise("m", FaithfulnessSetting.LocalDeletion, curves, new FaithfulnessOptions(AreaRule: rule));
            var perSample = curves.Select(c => rule == CurveAreaRule.Trapezoid
                ? (c.Sum() - (c[0] + c[10]) / 2) / 10
                : c.Average()).ToArray();
            AssertClose(perSample.Average(), result.Auc, 1e-13, 0, "AUC");
            var subset = Enumerable.Range(0, 9).Select(k => Enumerable.Range(0, n).Where(s => s % 9 == k).Average(s => perSample[s])).ToArray();
            double mean = subset.Average();
            double sem = Math.Sqrt(subset.Sum(a => (a - mean) * (a - mean)) / 8) / 3;
            AssertClose(subset, result.SubsetAucs, 1e-13, 0, "subset AUCs");
            AssertClose(sem, result.AucStandardError, 1e-10, 0, "AUC SEM");
            for (int i = 0; i <= 10; i++)
            {
                var column = curves.Select(c => c[i]).ToArray();
                double m = column.Average();
                AssertClose(m, result.MeanCurve[i], 1e-13, 0, $"mean curve {i}");
                AssertClose(Math.Sqrt(column.Sum(v => (v - m) * (v - m)) / (n - 1) / n), result.CurveStandardError[i], 1e-10, 0, $"curve SEM {i}");
            }
        }
    }

    [Fact]
    public void SummariesRefuseFewerSamplesThanSubsetsAndCurvesOfTheWrongLength()
    {
        var eight = Enumerable.Range(0, 8).Select(_ => new double[11]).ToArray();
        Assert.Throws<ArgumentException>(() => FaithfulnessEvaluation.Summarise("m", FaithfulnessSetting.LocalDeletion, eight));
        var shortCurves = Enumerable.Range(0, 9).Select(_ => new double[10]).ToArray();
        Assert.Throws<ArgumentException>(() => FaithfulnessEvaluation.Summarise("m", FaithfulnessSetting.LocalDeletion, shortCurves));
    }
}
