using Actors.Grains.Sketches;

namespace Actors.GpuHost.Search;

/// <summary>
/// x̄_j of every latent of an SAE with readable reference images (<see cref="Means"/>[i] of <see cref="Latents"/>[i],
/// averaged over <see cref="Counts"/>[i] images), computed for the reference sets of <see cref="Version"/>
/// (<see cref="ReferenceSnapshot.Version"/>) with the model at <see cref="ModelPath"/>; the image embeddings are kept so
/// a changed set embeds only its new images.
/// </summary>
public sealed record LatentMeans(long Version, string ModelPath, int[] Latents, float[][] Means, int[] Counts,
    IReadOnlyDictionary<ImageRef, float[]> ImageEmbeddings, int Unreadable)
{
    /// <summary>Whether these are the means of the reference sets of <paramref name="version"/> under the model at <paramref name="modelPath"/>.</summary>
    public bool Holds(string modelPath, long version) => Version == version && ModelPath == modelPath;
}
