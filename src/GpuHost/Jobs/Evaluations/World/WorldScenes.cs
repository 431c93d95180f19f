using Actors.Vision.Imaging;
using Actors.World;

namespace Actors.GpuHost.Jobs.Evaluations.World;

/// <summary>
/// World scenes as evaluation images: rendered on demand at the world's size from their factors (deterministic in the
/// world seed), labelled with the split's label (the shape; duck or bird on the spurious splits), id "{split}/{index}".
/// The factors stay at hand as ground truth (background, written word) by id.
/// </summary>
public sealed class WorldScenes
{
    readonly Dictionary<string, WorldItem> byId = new(StringComparer.Ordinal);

    /// <summary>The first <paramref name="count"/> scenes of the split that <paramref name="keep"/> accepts (all by default).</summary>
    public IReadOnlyList<EvaluationImage> Take(WorldSplit split, int count, ulong seed, Func<WorldItem, bool>? keep = null)
    {
        var images = new List<EvaluationImage>(count);
        // Scenes are drawn from their own generators, so a longer prefix only adds scenes (spurious-train aside).
        for (int generated = Math.Max(count, 16); images.Count < count; generated *= 2)
        {
            images.Clear();
            foreach (var item in WorldSplits.Generate(split, generated, seed))
            {
                if (keep is not null && !keep(item)) continue;
                string id = $"{WorldSplits.Name(split)}/{item.Index:D6}";
                byId[id] = item;
                images.Add(new EvaluationImage(id, item.Label, () => SceneRenderer.Render(item.Factors, WorldImageSequence.SceneSize)));
                if (images.Count == count) break;
            }
            if (generated > 64 * Math.Max(count, 16)) throw new ArgumentException($"{WorldSplits.Name(split)} holds too few scenes of the kind asked for");
        }
        return images;
    }

    /// <summary>The ground truth of a scene taken before.</summary>
    public WorldItem this[string imageId] => byId[imageId];

    /// <summary>Scenes rendered at the world's size, as <see cref="Take"/> renders them, and preprocessed: pixels (n, C, H, W).</summary>
    public static float[] Pixels(ClipPreprocessor preprocessor, IReadOnlyList<SceneFactors> scenes)
    {
        int per = preprocessor.FloatsPerImage;
        var pixels = new float[scenes.Count * per];
        Parallel.For(0, scenes.Count, i =>
            preprocessor.Preprocess(SceneRenderer.Render(scenes[i], WorldImageSequence.SceneSize), pixels.AsSpan(i * per, per)));
        return pixels;
    }
}
