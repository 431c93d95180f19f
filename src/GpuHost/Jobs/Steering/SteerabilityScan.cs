using Actors.Analysis.Steering;
using Actors.Tensors;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>S_f (seed 001 Eq. 5) of each latent and the concept it promotes most, in the order the latents were given.</summary>
public sealed record LatentSteerabilityScores(int[] Latents, double[] Steerability, int[] PromotedConcept)
{
    /// <summary>Eq. 6-8 over these latents.</summary>
    public LayerSteerability Layer(double gamma, double beta) => LayerSteerability.Of(Steerability, PromotedConcept, gamma, beta);
}

/// <summary>
/// Each latent set to one strength on every hooked row of the same images (seed 001 Sec. 6.1: "replace its feature
/// activation across all patches with a steering strength s"), S_f against CLIP as it is: the per-feature input of
/// the layer's S, #S and #C (Eq. 6-8). The "steerability" job and world-claims both run it.
/// </summary>
public static class SteerabilityScan
{
    /// <param name="batches">Preprocessed images (n, C, H, W) and n per batch.</param>
    /// <param name="progress">After each latent: latents done and the mean S_f so far.</param>
    public static LatentSteerabilityScores Run(SteeringModel model, IReadOnlyList<int> latents, IReadOnlyList<(float[] Pixels, int Count)> batches,
        double strength, Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        if (batches.Count == 0) throw new ArgumentException("steerability needs at least one batch of images");
        var before = batches.Select(b => model.Before(b.Pixels, b.Count)).ToArray();
        var steerability = new double[latents.Count];
        var promoted = new int[latents.Count];
        double sum = 0;
        for (int f = 0; f < latents.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var splice = new SteeringSplice(model.Sae, [new LatentIntervention(latents[f], SteeringOp.Set, (float)strength)]);
            var sums = new FeatureSteerabilitySums(model.Vocabulary.Count);
            for (int b = 0; b < batches.Count; b++) sums.Add(before[b], model.After(batches[b].Pixels, batches[b].Count, splice), batches[b].Count);
            var result = sums.Result(model.Vocabulary.DistanceToMean);
            (steerability[f], promoted[f]) = (result.Steerability, result.PromotedConcept);
            sum += result.Steerability;
            progress?.Invoke(f + 1, sum / (f + 1));
        }
        return new LatentSteerabilityScores([.. latents], steerability, promoted);
    }

    /// <summary>All latents, or <paramref name="sample"/> of them drawn without replacement by a SplitMix64-seeded shuffle; ascending.</summary>
    public static int[] Sample(int latents, int? sample, ulong seed)
    {
        var all = Enumerable.Range(0, latents).ToList();
        if (sample is not { } n || n >= latents) return [.. all];
        new SplitMix64(seed).Shuffle(all);
        return [.. all.Take(n).Order()];
    }
}
