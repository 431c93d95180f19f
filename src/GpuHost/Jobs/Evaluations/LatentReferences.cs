using Actors.Analysis.Alignment;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Each latent's reference images over a sample set: the <see cref="Count"/> samples of largest image-level activation
/// (summed over hooked rows), best first, and x̄_j, the mean of their image embeddings, which seed 000 Eq. 2 compares
/// with label prompts: s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty). A latent that never fired has none.
/// </summary>
public sealed class LatentReferences
{
    readonly (int Sample, float Activation)[][] top;
    readonly int[] firing;
    readonly EncodedSamples samples;

    LatentReferences(EncodedSamples samples, (int, float)[][] top, int[] firing, int count) =>
        (this.samples, this.top, this.firing, Count) = (samples, top, firing, count);

    public int Count { get; }
    public int LatentCount => top.Length;

    public static LatentReferences Of(EncodedSamples samples, int latentCount, int count = 20)
    {
        var heaps = new PriorityQueue<int, float>?[latentCount];
        var firing = new int[latentCount];
        for (int s = 0; s < samples.Count; s++)
        {
            var a = samples.LatentActivations(s);
            for (int j = 0; j < latentCount; j++)
            {
                if (!(a[j] > 0)) continue;
                firing[j]++;
                var heap = heaps[j] ??= new PriorityQueue<int, float>();
                if (heap.Count < count) heap.Enqueue(s, a[j]);
                else if (heap.TryPeek(out _, out float least) && a[j] > least) heap.EnqueueDequeue(s, a[j]);
            }
        }
        var top = heaps.Select(h => h is null ? [] : h.UnorderedItems.Select(e => (e.Element, e.Priority))
            .OrderByDescending(e => e.Priority).ThenBy(e => e.Element).ToArray()).ToArray();
        return new LatentReferences(samples, top, firing, count);
    }

    /// <summary>The latent's reference samples (indices into the sample set) and their activations, best first.</summary>
    public IReadOnlyList<(int Sample, float Activation)> Top(int latent) => top[latent];

    /// <summary>On how many samples the latent fired at all.</summary>
    public int Firing(int latent) => firing[latent];

    /// <summary>Mean activation over the reference samples (App. C.2's activation filter); 0 when it never fired.</summary>
    public double MeanTopActivation(int latent) => top[latent].Length == 0 ? 0 : top[latent].Average(t => (double)t.Activation);

    /// <summary>x̄_j, or null when the latent never fired.</summary>
    public float[]? MeanEmbedding(int latent)
    {
        var refs = top[latent];
        if (refs.Length == 0) return null;
        int dim = samples.Embeddings[0].Length;
        var stacked = new float[refs.Length * dim];
        for (int i = 0; i < refs.Length; i++) samples.Embeddings[refs[i].Sample].CopyTo(stacked, i * dim);
        return SemanticAlignment.MeanEmbedding(stacked, refs.Length, dim);
    }

    /// <summary>s_j(t) of seed 000 Eq. 2 for every concept; null when the latent never fired.</summary>
    public double[]? Alignment(int latent, ConceptSet concepts, float[] emptyPrompt) =>
        MeanEmbedding(latent) is { } mean ? SemanticAlignment.Scores(mean, concepts, emptyPrompt) : null;
}
