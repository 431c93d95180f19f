using Actors.Grains.Messages;
using Actors.Grains.Sketches;

namespace Actors.GpuHost.Ingestion;

/// <summary>What one batch becomes: one message per partition, class-level activations per label, batch totals.</summary>
public sealed record SketchedBatch(LatentDeltaBatch[] Partitions, Dictionary<string, ClassActivations> Classes, IngestTotals Totals)
{
    /// <summary>A batch none of whose images could be read: it still counts as processed.</summary>
    public static SketchedBatch Empty => new([], new Dictionary<string, ClassActivations>(StringComparer.Ordinal), new IngestTotals());
}

/// <summary>
/// Host side of ingestion: turns a batch of sparse SAE outputs into per-latent sketches — added straight into a
/// delivery group's accumulators (<see cref="SketchInto"/>, what ingestion does: no per-batch sketch is allocated and
/// merged again), or as one batch's own deltas partitioned by latent mod <paramref name="partitions"/> (<see cref="Sketch"/>). The token-major CSR input is transposed latent-major with a counting
/// sort (two passes over the non-zeros, buffers reused across batches), so each touched latent is sketched from a
/// contiguous run of (token, value) pairs in token order; untouched latents cost nothing. Not thread-safe: one
/// sketcher per ingestion worker.
/// </summary>
public sealed class BatchSketcher(int dSae, TokenLayout layout, int partitions = 1,
    int referenceCapacity = TopReferences.DefaultCapacity, double threshold = ClassActivations.DefaultThreshold)
{
    readonly int[] latentStart = dSae > 0 ? new int[dSae + 1] : throw new ArgumentOutOfRangeException(nameof(dSae), dSae, "d_sae must be positive");
    readonly int[] cursor = new int[Math.Max(dSae, 0)];
    readonly LatentDeltaBuilder builder = new(layout, referenceCapacity, threshold);
    // One string instance per label across batches: every delta's label maps then share keys with the grains'
    // maps, whose lookups compare by reference first and hash strings that stay in cache.
    readonly Dictionary<string, string> labelInstances = new(StringComparer.Ordinal);
    const int MaxLabelInstances = 1 << 16;
    int[] tokenOf = [];
    int[] tokenInImage = [];
    float[] valueOf = [];
    float[] relevanceOf = [];

    /// <summary>One batch on its own: a fresh sketch per touched latent, partitioned (the per-batch deltas that
    /// <see cref="DeliveryGroup.Add(long, SketchedBatch)"/> merges; ingestion sketches into its group instead).</summary>
    public SketchedBatch Sketch(string saeId, string corpusId, long batchId, long durableThrough, SaeBatch batch)
    {
        if (partitions <= 0) throw new ArgumentOutOfRangeException(nameof(partitions), partitions, "need at least one partition");
        var perPartition = new List<LatentDeltaEntry>[partitions];
        for (int p = 0; p < partitions; p++) perPartition[p] = [];
        var (classes, totals) = SketchInto(batch, _ => builder.NewSketch(), (s, sketch) =>
        {
            if (sketch.Firing.FiringTokens > 0)
                perPartition[s % partitions].Add(new LatentDeltaEntry(s, new LatentDelta(corpusId, batchId, durableThrough, sketch)));
        });
        var messages = new LatentDeltaBatch[partitions];
        for (int p = 0; p < partitions; p++)
            messages[p] = new LatentDeltaBatch(saeId, corpusId, batchId, durableThrough, p, partitions, totals, [.. perPartition[p]]);
        return new SketchedBatch(messages, classes, totals);
    }

    /// <summary>An empty sketch for a latent's accumulator (this sketcher's reference capacity).</summary>
    public LatentSketch NewSketch() => builder.NewSketch();

    /// <summary>
    /// Adds the batch's activations of each touched latent s, image by image, into <paramref name="sketchOf"/>(s),
    /// called once per touched latent in ascending order (<paramref name="finished"/> is told when s is done);
    /// returns the batch's totals and, unless <paramref name="classActivations"/> is false (no vocabulary would
    /// receive them), its class-level activations.
    /// </summary>
    public (Dictionary<string, ClassActivations> Classes, IngestTotals Totals) SketchInto(SaeBatch batch, Func<int, LatentSketch> sketchOf,
        Action<int, LatentSketch>? finished = null, bool classActivations = true)
    {
        batch.Validate(layout, dSae);
        Transpose(batch);

        var totals = new IngestTotals { Tokens = batch.TokenCount, Images = batch.Images.Length };
        var labels = new string?[batch.Labels.Length];
        var attributed = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            if (batch.Labels[i] is { } label)
            {
                labels[i] = label = Canonical(label);
                totals.ClassImages[label] = totals.ClassImages.GetValueOrDefault(label) + 1;
                if (attributed[i] = batch.HasRelevance(i))
                    totals.RelevanceImages[label] = totals.RelevanceImages.GetValueOrDefault(label) + 1;
            }

        var classes = new Dictionary<string, ClassActivations>(StringComparer.Ordinal);
        int tokensPerImage = layout.TokensPerImage;

        for (int s = 0; s < dSae; s++)
        {
            int from = latentStart[s], to = latentStart[s + 1];
            if (from == to) continue;
            var sketch = sketchOf(s);
            while (from < to)
            {
                int image = tokenOf[from] / tokensPerImage;
                int end = from + 1;
                while (end < to && tokenOf[end] / tokensPerImage == image) end++;
                string? label = labels[image];
                int ai = builder.AddImage(sketch, batch.Images[image], label,
                    tokenInImage.AsSpan(from, end - from), valueOf.AsSpan(from, end - from),
                    attributed[image] ? relevanceOf.AsSpan(from, end - from) : default);
                if (classActivations && label is not null && ai > 0)
                {
                    if (!classes.TryGetValue(label, out var ca)) classes[label] = ca = new ClassActivations();
                    ca.Add(s, ai, 1);
                }
                from = end;
            }
            finished?.Invoke(s, sketch);
        }
        return (classes, totals);
    }

    string Canonical(string label)
    {
        if (labelInstances.TryGetValue(label, out var instance)) return instance;
        if (labelInstances.Count < MaxLabelInstances) labelInstances[label] = label;
        return label;
    }

    /// <summary>Counting sort of the non-zeros by latent, stable in token order.</summary>
    void Transpose(SaeBatch batch)
    {
        int nnz = batch.Latents.Length;
        if (tokenOf.Length < nnz) { tokenOf = new int[nnz]; tokenInImage = new int[nnz]; valueOf = new float[nnz]; }
        if (batch.Relevance is not null && relevanceOf.Length < nnz) relevanceOf = new float[nnz];
        Array.Clear(latentStart);
        foreach (var s in batch.Latents) latentStart[s + 1]++;
        for (int s = 0; s < dSae; s++) latentStart[s + 1] += latentStart[s];
        var next = cursor;   // write position per latent
        Array.Copy(latentStart, next, dSae);
        var offsets = batch.TokenOffsets;
        int tokensPerImage = layout.TokensPerImage;
        for (int t = 0; t < batch.TokenCount; t++)
        {
            int inImage = t % tokensPerImage;
            for (int n = offsets[t]; n < offsets[t + 1]; n++)
            {
                int at = next[batch.Latents[n]]++;
                tokenOf[at] = t;
                tokenInImage[at] = inImage;
                valueOf[at] = batch.Values[n];
                if (batch.Relevance is { } relevance) relevanceOf[at] = relevance[n];
            }
        }
    }
}
