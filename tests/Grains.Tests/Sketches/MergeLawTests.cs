using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Sketches;

/// <summary>Associativity and commutativity of every sketch's merge, over many seeded random triples.</summary>
public class MergeLawTests
{
    const int Iterations = 400;

    static void Laws<T>(Func<SketchGen, T> gen, Func<T, T, T> merge, Action<T, T> assertEqual, bool commutative = true)
    {
        for (int seed = 0; seed < Iterations; seed++)
        {
            var g = new SketchGen(seed);
            T a = gen(g), b = gen(g), c = gen(g);
            assertEqual(merge(merge(a, b), c), merge(a, merge(b, c)));
            if (commutative) assertEqual(merge(a, b), merge(b, a));
        }
    }

    [Fact]
    public void MomentsMergeIsAssociativeAndCommutative() =>
        Laws(g => g.Moments(), (a, b) => Moments.Merge(a, b), (e, a) => SketchAssert.Equal(e, a));

    [Fact]
    public void MaxMergeIsAssociativeAndCommutative() =>
        Laws(g => g.Max(), (a, b) => MaxTracker.Merge(a, b), (e, a) => Assert.Equal(e, a));

    [Fact]
    public void FiringStatsMergeIsAssociativeAndCommutative() =>
        Laws(g => new FiringStats(g.Rng.Next(100), g.Rng.Next(10)), (a, b) => FiringStats.Merge(a, b), (e, a) => Assert.Equal(e, a));

    [Fact]
    public void HistogramMergeIsAssociativeAndCommutative() =>
        Laws(g => g.Histogram(), LogHistogram.Merge, (e, a) => Assert.Equal(e, a));

    [Fact]
    public void TopReferencesMergeIsAssociativeAndCommutativeDespiteTiesAndRepeatedImages() =>
        Laws(g => g.References(), TopReferences.Merge, SketchAssert.Equal);

    [Fact]
    public void LabelCountsMergeIsAssociativeAndCommutative() =>
        Laws(g => g.Labels(), LabelCounts.Merge, SketchAssert.Equal);

    [Fact]
    public void ClassMomentsMergeIsAssociativeAndCommutative() =>
        Laws(g => g.Classes(), ClassMoments.Merge, SketchAssert.Equal);

    [Fact]
    public void FullLatentSketchMergeIsAssociativeAndCommutative() =>
        Laws(g => g.LatentSketch(new TokenLayout(5, true)), LatentSketch.Merge, SketchAssert.Equal);

    [Fact]
    public void MergeLeavesItsInputsUnchanged()
    {
        var g = new SketchGen(7);
        var layout = new TokenLayout(5, true);
        var a = g.LatentSketch(layout); var b = g.LatentSketch(layout);
        var a0 = a.Clone(); var b0 = b.Clone();
        LatentSketch.Merge(a, b);
        SketchAssert.Equal(a0, a);
        SketchAssert.Equal(b0, b);
    }
}
