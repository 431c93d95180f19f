using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Sketches;

/// <summary>
/// A latent's state merges deltas as <see cref="LatentSketch.MergeFrom"/> does, whether its first delta is kept as its
/// sketch (a fresh latent adopts it) or copied into an empty one.
/// </summary>
public class LatentStateMergeTests
{
    static readonly TokenLayout Layout = new(5, true);   // CLS + 2×2 patches

    [Fact]
    public void AFreshLatentKeepsItsFirstDeltaAndMergesOnAsCopiesDo()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var gen = new SketchGen(seed);
            var deltas = Enumerable.Range(0, 4).Select(b => new LatentDelta("c", b, -1, gen.LatentSketch(Layout))).ToList();
            var expected = new LatentSketch();
            foreach (var d in deltas) expected.MergeFrom(d.Sketch.Clone());

            var state = new LatentState();
            Assert.True(state.Sketch.IsEmpty);
            Assert.True(state.TryMerge(deltas[0]));
            if (!deltas[0].Sketch.IsEmpty) Assert.Same(deltas[0].Sketch, state.Sketch);
            foreach (var d in deltas.Skip(1)) Assert.True(state.TryMerge(d));
            SketchAssert.Equal(expected, state.Sketch);

            // Sent again (a retried call), the kept delta is refused and changes nothing.
            Assert.False(state.TryMerge(deltas[0]));
            SketchAssert.Equal(expected, state.Sketch);
        }
    }

    [Fact]
    public void ASketchIsEmptyUntilSomethingIsMergedIn()
    {
        var gen = new SketchGen(3);
        Assert.True(new LatentSketch().IsEmpty);
        var sketch = Enumerable.Range(0, 20).Select(_ => gen.LatentSketch(Layout)).First(s => s.Firing.FiringTokens > 0);
        Assert.False(sketch.IsEmpty);
        var merged = new LatentSketch();
        merged.MergeFrom(sketch);
        Assert.False(merged.IsEmpty);
    }
}
