using Actors.Sae.Sources;
using Actors.Vision.Imaging;

namespace Actors.World;

/// <summary>
/// World scenes of a split, rendered on demand (deterministic in the seed) at the world's own size; the model's
/// preprocessor resizes them like any other image. An unbounded corpus needs no disk.
/// </summary>
public sealed class WorldImageSequence(WorldSplit split, int count, ulong seed, int sceneSize = WorldImageSequence.SceneSize) : IImageSequence
{
    /// <summary>The side the world is drawn at (its words need at least about 48 px).</summary>
    public const int SceneSize = 64;
    readonly IReadOnlyList<WorldItem> items = WorldSplits.Generate(split, count, seed);

    public int Count => items.Count;
    public RgbImage? Get(int index) => SceneRenderer.Render(items[index].Factors, sceneSize);
}
