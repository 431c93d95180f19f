using Actors.Grains.Sketches;

namespace Actors.GpuHost.Search;

/// <summary>
/// x̄_j of every latent of an SAE with readable reference images (<see cref="Means"/>[i] of <see cref="Latents"/>[i],
/// averaged over <see cref="Counts"/>[i] images), computed for the model and reference-set version that <see cref="Fingerprint"/> names
/// (<see cref="ReferenceSnapshot.Version"/>), the model at <see cref="ModelPath"/>; the image embeddings are kept so a changed set embeds only its new images.
/// </summary>
public sealed record LatentMeans(string Fingerprint, string ModelPath, int[] Latents, float[][] Means, int[] Counts,
    IReadOnlyDictionary<ImageRef, float[]> ImageEmbeddings, int Unreadable);
