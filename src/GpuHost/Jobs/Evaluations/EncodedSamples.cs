using Actors.Analysis.Gradients;
using Actors.Analysis.Relevance;
using Actors.Sae;
using Actors.Sae.Architectures;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Labelled images run once through CLIP and the SAE, for every evaluation to reuse: per image its hooked rows h (and,
/// for residual hooks, the stream around them, so the forward can continue from edited rows), h's SAE decomposition
/// h = Σ_j a_j v_j + b + ε (seed 000 Eq. 1) and its image embedding (proj, not normalised; what text prompts and linear
/// probes read). Images that cannot be read are left out and named in <see cref="Skipped"/>.
/// </summary>
public sealed class EncodedSamples
{
    const int Batch = 32;

    EncodedSamples(string[] ids, string[] labels, HookedImage[] hooked, LatentDecomposition[] decompositions, float[][] embeddings, string[] skipped)
    {
        (ImageIds, Labels, Hooked, Decompositions, Embeddings, Skipped) = (ids, labels, hooked, decompositions, embeddings, skipped);
    }

    public IReadOnlyList<string> ImageIds { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<HookedImage> Hooked { get; }
    public IReadOnlyList<LatentDecomposition> Decompositions { get; }
    public IReadOnlyList<float[]> Embeddings { get; }
    public IReadOnlyList<string> Skipped { get; }
    public int Count => ImageIds.Count;

    /// <summary>Loads, preprocesses and encodes the images in batches; <paramref name="progress"/> gets (done, total).</summary>
    public static EncodedSamples Encode(EvaluationModel model, IReadOnlyList<EvaluationImage> images, Action<int, int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var vision = model.NewVision();
        var gradient = new HookGradient(vision, model.Model.Weights.Vision, model.Hook);
        var preprocessor = model.Model.Preprocessor;
        int per = preprocessor.FloatsPerImage, dim = model.ProjectionDim;
        var ids = new List<string>(); var labels = new List<string>(); var skipped = new List<string>();
        var hooked = new List<HookedImage>(); var decompositions = new List<LatentDecomposition>(); var embeddings = new List<float[]>();
        for (int start = 0; start < images.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Batch, images.Count - start);
            var pixels = new float[n * per];
            var ok = new bool[n];
            Parallel.For(0, n, i =>
            {
                try
                {
                    if (images[start + i].Load() is not { } image) return;
                    preprocessor.Preprocess(image, pixels.AsSpan(i * per, per));
                    ok[i] = true;
                }
                catch (Exception e) when (e is not OutOfMemoryException) { }
            });
            var kept = Enumerable.Range(0, n).Where(i => ok[i]).ToArray();
            skipped.AddRange(Enumerable.Range(0, n).Where(i => !ok[i]).Select(i => images[start + i].ImageId));
            var packed = new float[kept.Length * per];
            for (int j = 0; j < kept.Length; j++) pixels.AsSpan(kept[j] * per, per).CopyTo(packed.AsSpan(j * per, per));
            var embedded = kept.Length == 0 ? [] : vision.Encode(packed, kept.Length);
            for (int j = 0; j < kept.Length; j++)
            {
                var embedding = embedded.AsSpan(j * dim, dim).ToArray();
                var image = model.Hook.Site == HookSite.ImageEmbedding
                    ? new HookedImage(model.Hook, embedding, 1, dim, null)
                    : gradient.Capture(packed.AsSpan(j * per, per));
                ids.Add(images[start + kept[j]].ImageId);
                labels.Add(images[start + kept[j]].Label);
                hooked.Add(image);
                decompositions.Add(LatentDecomposition.Of(model.Sae, image));
                embeddings.Add(embedding);
            }
            progress?.Invoke(start + n, images.Count);
        }
        return new EncodedSamples([.. ids], [.. labels], [.. hooked], [.. decompositions], [.. embeddings], [.. skipped]);
    }

    /// <summary>
    /// Samples whose image embeddings are already known, for an SAE on the image-embedding hook (the hooked row is the
    /// embedding itself): planted embeddings in tests, or embeddings computed elsewhere.
    /// </summary>
    public static EncodedSamples FromEmbeddings(SparseAutoencoder sae, IReadOnlyList<string> ids, IReadOnlyList<string> labels, IReadOnlyList<float[]> embeddings)
    {
        if (ids.Count != labels.Count || ids.Count != embeddings.Count) throw new ArgumentException($"{ids.Count} ids, {labels.Count} labels, {embeddings.Count} embeddings");
        var hooked = embeddings.Select(e => new HookedImage(SaeHookSpec.ImageEmbeds, (float[])e.Clone(), 1, e.Length, null)).ToArray();
        return new EncodedSamples([.. ids], [.. labels], hooked, hooked.Select(h => LatentDecomposition.Of(sae, h)).ToArray(),
            embeddings.Select(e => (float[])e.Clone()).ToArray(), []);
    }

    /// <summary>The samples of <paramref name="first"/>, then those of <paramref name="second"/> (one set when both are the same).</summary>
    public static EncodedSamples Concat(EncodedSamples first, EncodedSamples second)
    {
        if (ReferenceEquals(first, second)) return first;
        return new EncodedSamples([.. first.ImageIds, .. second.ImageIds], [.. first.Labels, .. second.Labels],
            [.. first.Hooked, .. second.Hooked], [.. first.Decompositions, .. second.Decompositions],
            [.. first.Embeddings, .. second.Embeddings], [.. first.Skipped, .. second.Skipped]);
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    public EncodedSamples Subset(IEnumerable<int> indices)
    {
        var at = indices.ToArray();
        return new EncodedSamples(at.Select(i => ImageIds[i]).ToArray(), at.Select(i => Labels[i]).ToArray(), at.Select(i => Hooked[i]).ToArray(),
            at.Select(i => Decompositions[i]).ToArray(), at.Select(i => Embeddings[i]).ToArray(), [.. Skipped]);
    }

    /// <summary>Per latent, the activation summed over the sample's hooked rows (dense, d_SAE): the image-level a_j.</summary>
    public float[] LatentActivations(int sample)
    {
        var a = Decompositions[sample].Activations;
        var dense = new float[a.LatentCount];
        for (int e = 0; e < a.Values.Length; e++) if (a.Values[e] > 0) dense[a.Indices[e]] += a.Values[e];
        return dense;
    }
}
