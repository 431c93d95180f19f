using Actors.Analysis.Gradients;

namespace Actors.Analysis.Alignment;

/// <summary>
/// Semantic alignment of a latent with text labels (seed 000 Sec. 3.2, Eq. 2, after SemanticLens):
/// s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty), where x̄_j is the average CLIP image embedding of latent j's reference
/// (most activating) images — not its decoder row — and t_empty the embedding of the empty prompt "". The label is
/// argmax_t s_j(t). Image and text embeddings must come from the same (labelling) CLIP: seed 000 uses Mobile-CLIP-S2.
/// </summary>
public static class SemanticAlignment
{
    /// <summary>
    /// x̄_j (dim): the plain average of the reference images' embeddings (count, dim) as given. The released code
    /// (maxdreyer/attributing-clip) averages open_clip encode_image outputs, i.e. unnormalised embeddings.
    /// </summary>
    public static float[] MeanEmbedding(ReadOnlySpan<float> referenceEmbeddings, int count, int dim)
    {
        if (count <= 0 || dim <= 0 || referenceEmbeddings.Length != (long)count * dim)
            throw new ArgumentException($"reference embeddings hold {referenceEmbeddings.Length} floats, expected count {count} × dim {dim} (count ≥ 1)");
        var sum = new double[dim];
        for (int n = 0; n < count; n++)
            for (int i = 0; i < dim; i++) sum[i] += referenceEmbeddings[n * dim + i];
        return sum.Select(v => (float)(v / count)).ToArray();
    }

    /// <summary>s_j(t) for every concept t (Eq. 2), given x̄_j (dim) and t_empty (dim).</summary>
    public static double[] Scores(ReadOnlySpan<float> meanEmbedding, ConceptSet concepts, ReadOnlySpan<float> emptyPrompt)
    {
        if (meanEmbedding.Length != concepts.Dim || emptyPrompt.Length != concepts.Dim)
            throw new ArgumentException($"x̄ ({meanEmbedding.Length}) and the empty prompt ({emptyPrompt.Length}) must have the concepts' dimension {concepts.Dim}");
        double empty = ImageTextScore.Cosine(meanEmbedding, emptyPrompt);
        var scores = new double[concepts.Count];
        for (int c = 0; c < scores.Length; c++) scores[c] = ImageTextScore.Cosine(meanEmbedding, concepts.Embedding(c)) - empty;
        return scores;
    }

    /// <summary>The <paramref name="count"/> best labels for a latent from its reference images' embeddings (n, dim), best first.</summary>
    public static IReadOnlyList<ConceptScore> BestLabels(ReadOnlySpan<float> referenceEmbeddings, int referenceCount, ConceptSet concepts,
        ReadOnlySpan<float> emptyPrompt, int count) =>
        concepts.Top(Scores(MeanEmbedding(referenceEmbeddings, referenceCount, concepts.Dim), concepts, emptyPrompt), count);
}
