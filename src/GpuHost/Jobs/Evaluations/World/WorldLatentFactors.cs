using Actors.Analysis.Alignment;
using Actors.Grains.Evaluations;
using Actors.World;

namespace Actors.GpuHost.Jobs.Evaluations.World;

/// <summary>
/// What a latent of the world claims' SAE stands for, read off the ground truth of its reference images (its top-20
/// test scenes): latents of one factor (a background, written words), the dominant factor value for the notes, and
/// seed 000 App. C.2's "high activation, low alignment" filter checked against the written words.
/// </summary>
public sealed class WorldLatentFactors(LatentReferences references, EncodedSamples samples, WorldScenes scenes)
{
    /// <summary>Latents with at least 10 reference images, 90 % or more of which show the factor.</summary>
    public int[] Where(Func<WorldItem, bool> factor) => Enumerable.Range(0, references.LatentCount).Where(j =>
    {
        var top = references.Top(j);
        return top.Count >= 10 && top.Count(t => factor(scenes[samples.ImageIds[t.Sample]])) >= 0.9 * top.Count;
    }).ToArray();

    /// <summary>The factor value most of the latent's reference images share (shape, colour, background or word), with its share.</summary>
    public string Dominant(int latent)
    {
        var top = references.Top(latent);
        if (top.Count == 0) return "no test image";
        var values = top.Select(t => scenes[samples.ImageIds[t.Sample]].Factors).SelectMany(f => new[]
        {
            $"shape {WorldNames.Name(f.Shape)}", $"colour {WorldNames.Name(f.Colour)}", $"background {WorldNames.Name(f.Background)}",
            f.Word is null ? "no word" : $"word {f.Word}",
        });
        var best = values.GroupBy(v => v).MaxBy(g => g.Count())!;
        return $"{best.Key} {100.0 * best.Count() / top.Count:F0}%";
    }

    /// <summary>"latent [dominant factor] (images)" for each.</summary>
    public string List(IEnumerable<FailureModeLatent> latents) =>
        string.Join(", ", latents.Select(f => $"{f.Latent} [{Dominant(f.Latent)}] ({f.Samples.Length})"));

    /// <summary>
    /// Seed 000 App. C.2 with activation as the proxy of relevance: latents firing on at least 20 images whose mean
    /// top-20 activation is at least the median of those latents' (high activation) and whose best alignment to any
    /// class prompt, max_t s_j(t) (Eq. 2), is at most the median (low alignment); counted where at least 90 % of their
    /// top-20 images carry a written word.
    /// </summary>
    public int WordLatentsFound(ClassPrompts prompts, float[] empty, Action<string> log)
    {
        var concepts = new ConceptSet(prompts.Labels, [.. prompts.Embeddings.SelectMany(e => e)], prompts.Dim);
        var candidates = Enumerable.Range(0, references.LatentCount).Where(j => references.Firing(j) >= 20).ToArray();
        if (candidates.Length == 0) return 0;
        var activation = candidates.ToDictionary(j => j, references.MeanTopActivation);
        var alignment = candidates.ToDictionary(j => j, j => references.Alignment(j, concepts, empty)!.Max());
        double activationBar = Median(activation.Values), alignmentBar = Median(alignment.Values);
        var hidden = candidates.Where(j => activation[j] >= activationBar && alignment[j] <= alignmentBar).ToArray();
        var words = Where(i => i.Factors.Word is not null).ToHashSet();
        var found = hidden.Where(words.Contains).ToArray();
        log($"high activation (≥ {activationBar:F3}), low alignment (≤ {alignmentBar:F4}): {hidden.Length} of {candidates.Length} latents; " +
            $"word latents: {words.Count} ({string.Join(", ", words.Order())}), found: {string.Join(", ", found)}");
        return found.Length;
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
