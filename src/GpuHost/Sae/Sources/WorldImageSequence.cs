using Actors.GpuHost.Imaging;
using Actors.GpuHost.World;

namespace Actors.GpuHost.Sae.Sources;

/// <summary>World scenes of a split, rendered on demand (deterministic in the seed): an unbounded corpus needs no disk.</summary>
public sealed class WorldImageSequence(WorldSplit split, int count, ulong seed, int imageSize) : IImageSequence
{
    readonly IReadOnlyList<WorldItem> items = WorldSplits.Generate(split, count, seed);

    public int Count => items.Count;
    public RgbImage? Get(int index) => SceneRenderer.Render(items[index].Factors, imageSize);
}
