using Actors.Analysis.Alignment;
using Actors.Analysis.Steering;

namespace Actors.Analysis.Tests.Steering;

public class SteeringMetricTests
{
    // Two images, three concepts, worked by hand:
    //   P₁ = (.5, .3, .2) → P̃₁ = (.1, .8, .1): P̃₁ − P₁ = (−.4, .5, −.1), Σ_v squares .42
    //   P₂ = (.2, .2, .6) → P̃₂ = (.0, .9, .1): P̃₂ − P₂ = (−.2, .7, −.5), Σ_v squares .78
    static readonly float[] Before = [0.5f, 0.3f, 0.2f, 0.2f, 0.2f, 0.6f];
    static readonly float[] After = [0.1f, 0.8f, 0.1f, 0.0f, 0.9f, 0.1f];

    [Fact]
    public void DeltaPIsTheAbsoluteMeanChangePerConceptAsEquation4()
    {
        var f = FeatureSteerability.Of(Before, After, 2, [1.0, 2.0, 3.0]);
        AssertNear([-0.3, 0.6, -0.3], f.MeanChange);
        AssertNear([0.3, 0.6, 0.3], f.DeltaP);
        Assert.Equal(1, f.PromotedConcept);
    }

    [Fact]
    public void SteerabilitySumsOverTheVocabularyTheMeanSquaredChangeAsEquation5()
    {
        Assert.Equal((0.42 + 0.78) / 2, FeatureSteerability.Of(Before, After, 2, [1.0, 2.0, 3.0]).Steerability, 1e-7);
    }

    [Fact]
    public void AddingImagesOneBatchAtATimeGivesTheMetricsOfAllAtOnce()
    {
        var sums = new FeatureSteerabilitySums(3);
        sums.Add(Before[..3], After[..3], 1);
        sums.Add(Before[3..], After[3..], 1);
        var batched = sums.Result([1.0, 2.0, 3.0]);
        var whole = FeatureSteerability.Of(Before, After, 2, [1.0, 2.0, 3.0]);
        Assert.Equal(2, sums.Images);
        Assert.Equal(whole.Steerability, batched.Steerability, 1e-12);
        Assert.Equal(whole.ConceptDistance, batched.ConceptDistance, 1e-12);
        AssertNear(whole.MeanChange, batched.MeanChange, 1e-12);
        Assert.Throws<InvalidOperationException>(() => new FeatureSteerabilitySums(3).Result([1.0, 2.0, 3.0]));
    }

    [Fact]
    public void SpreadingTheMovedMassOverFewerConceptsScoresHigher()
    {
        // Seed 001 Sec. 6.1.1: mass 1/n_c on each of n_c concepts contributes n_c·(1/n_c)² = 1/n_c; moved off a
        // concept that held all of it, S_f = 1 + 1/n_c, so n_c − 1 concepts always beat n_c.
        double previous = double.PositiveInfinity;
        for (int nc = 1; nc <= 6; nc++)
        {
            var before = new float[8]; before[0] = 1;
            var after = new float[8];
            for (int v = 1; v <= nc; v++) after[v] = 1f / nc;
            double s = FeatureSteerability.Of(before, after, 1, new double[8]).Steerability;
            Assert.Equal(1 + 1.0 / nc, s, 1e-6);
            Assert.True(s < previous);
            previous = s;
        }
    }

    [Fact]
    public void ConceptDistanceWeighsEachConceptsDistanceFromTheVocabularyMeanByTheSteeredDistributionAsEquations10And11()
    {
        // Unit embeddings e₁, e₂ and (e₁ + e₂)/√2 (given unnormalised as (3, 3)): μ_V = ((1 + r)/3, (1 + r)/3), r = 1/√2.
        var vocabulary = new VocabularyDistribution(new ConceptSet(["x", "y", "xy"], [1, 0, 0, 1, 3, 3], 2), 0f);
        double r = 1 / Math.Sqrt(2), mu = (1 + r) / 3;
        double[] distances = [Math.Sqrt((1 - mu) * (1 - mu) + mu * mu), Math.Sqrt(mu * mu + (1 - mu) * (1 - mu)), Math.Sqrt(2 * (r - mu) * (r - mu))];
        AssertNear(distances, vocabulary.DistanceToMean);
        var f = FeatureSteerability.Of(Before, After, 2, vocabulary.DistanceToMean);
        AssertNear([0.05, 0.85, 0.1], f.SteeredDistribution);
        Assert.Equal(0.05 * distances[0] + 0.85 * distances[1] + 0.1 * distances[2], f.ConceptDistance, 1e-7);
    }

    [Fact]
    public void VocabularyProbabilitiesAreTheSoftmaxOfTemperatureTimesCosine()
    {
        // exp(logit_scale) = 2; image (3, 4) has cosines .6, .8 and 7/(5√2) with the three concepts.
        var vocabulary = new VocabularyDistribution(new ConceptSet(["x", "y", "xy"], [1, 0, 0, 1, 3, 3], 2), MathF.Log(2));
        var p = vocabulary.Probabilities([3f, 4f, -6f, 0f]);
        double[] logits = [1.2, 1.6, 2 * 7 / (5 * Math.Sqrt(2))];
        double z = logits.Sum(Math.Exp);
        AssertNear(logits.Select(l => Math.Exp(l) / z).ToArray(), p[..3].Select(v => (double)v).ToArray());
        logits = [-2, 0, -2 * r2];
        z = logits.Sum(Math.Exp);
        AssertNear(logits.Select(l => Math.Exp(l) / z).ToArray(), p[3..].Select(v => (double)v).ToArray());
    }

    static readonly double r2 = 1 / Math.Sqrt(2);

    [Fact]
    public void LayerMetricsAreTheMeanTheSteerableFractionAndTheCoverageCountOfEquations6To8()
    {
        double[] s = [0.05, 0.2, 0.6, 0.0, 0.3];
        var layer = LayerSteerability.Of(s, [0, 1, 1, 2, 3], gamma: 0.1, beta: 0.25, bins: 4);
        Assert.Equal(1.15 / 5, layer.MeanSteerability, 1e-12);      // Eq. 6
        Assert.Equal(3 / 5.0, layer.SteerableFraction, 1e-12);      // Eq. 7: .2, .6, .3 exceed γ
        Assert.Equal(3, layer.SteerableCount);
        Assert.Equal(2, layer.ConceptCoverage);                     // Eq. 8: .6 and .3 exceed β
        Assert.Equal(2, layer.ConceptsCovered);                     // they promote concepts 1 and 3
        Assert.Equal(5, layer.Features);
        AssertNear([0, 0.15, 0.3, 0.45, 0.6], layer.Histogram.Edges);
        Assert.Equal([2L, 1, 1, 1], layer.Histogram.Counts);         // .3 on an edge counts above it; .6 in the closed last bin
    }

    [Fact]
    public void AThresholdEqualToAFeaturesSteerabilityDoesNotCountIt()
    {
        var layer = LayerSteerability.Of([0.1, 0.1], [0, 0], gamma: 0.1, beta: 0.1);
        Assert.Equal(0, layer.SteerableCount);
        Assert.Equal(0, layer.ConceptCoverage);
    }

    [Fact]
    public void TheFlipRateCountsImagesWhosePredictionTheWordsChanged()
    {
        Assert.Equal(0.5, TypographicFlips.FlipRate([1, 2, 3, 4], [1, 0, 3, 0]));
        Assert.Throws<ArgumentException>(() => TypographicFlips.FlipRate([1], [1, 2]));
    }

    static void AssertNear(double[] expected, double[] actual, double tolerance = 1e-7)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"at {i}: expected {expected[i]}, got {actual[i]}");
    }
}
