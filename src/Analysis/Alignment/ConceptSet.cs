namespace Actors.Analysis.Alignment;

/// <summary>
/// A vocabulary of concepts as text embeddings: labels (m) and their CLIP text embeddings (m, Dim), e.g. the
/// ImageNet-21k class names seed 000 Sec. 5 aligns latents against. Embeddings need not be normalised.
/// </summary>
public sealed record ConceptSet
{
    public ConceptSet(IReadOnlyList<string> labels, float[] embeddings, int dim)
    {
        if (dim <= 0 || embeddings.Length != (long)labels.Count * dim)
            throw new ArgumentException($"{labels.Count} labels need {labels.Count} × {dim} embedding values, found {embeddings.Length}");
        (Labels, Embeddings, Dim) = (labels, embeddings, dim);
    }

    public IReadOnlyList<string> Labels { get; }
    /// <summary>(Count, Dim), row i for Labels[i].</summary>
    public float[] Embeddings { get; }
    public int Dim { get; }
    public int Count => Labels.Count;

    public ReadOnlySpan<float> Embedding(int concept) => Embeddings.AsSpan(concept * Dim, Dim);

    /// <summary>The <paramref name="count"/> highest of per-concept <paramref name="scores"/>, best first (ties by index).</summary>
    public IReadOnlyList<ConceptScore> Top(IReadOnlyList<double> scores, int count)
    {
        if (scores.Count != Count) throw new ArgumentException($"{scores.Count} scores for {Count} concepts");
        return Enumerable.Range(0, Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(Math.Max(0, count))
            .Select(i => new ConceptScore(Labels[i], i, scores[i])).ToList();
    }
}
