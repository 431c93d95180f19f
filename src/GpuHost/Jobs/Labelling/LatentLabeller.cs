using Actors.Analysis.Alignment;
using Actors.Analysis.Gradients;
using Actors.GpuHost.Analysis;
using Actors.Grains.Latents;

namespace Actors.GpuHost.Jobs.Labelling;

/// <summary>
/// The labels of a chunk of latents, computed together (one matrix product per chunk, <see cref="ConceptCosines"/>):
/// <list type="bullet">
/// <item>Semantic alignment (seed 000 Eq. 2): x̄_j, the mean of the latent's reference-image embeddings
/// (<see cref="SemanticAlignment.MeanEmbedding"/>), and s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty); its best labels,
/// and the clarity of the reference embeddings (<see cref="Clarity"/>; null with fewer than two).</item>
/// <item>Logit Lens (Eq. 3), when given the SAE's lens: cos(v_j', t) for every concept, its best concepts.</item>
/// </list>
/// Every latent's s_j(t) also goes to <see cref="Ranking"/>, the concepts' best-aligned latents.
/// </summary>
public sealed class LatentLabeller(ConceptCosines cosines, float[] emptyPrompt, LogitLens? lens, LatentLabellingParameters parameters)
{
    public AlignedLatentRanking Ranking { get; } = new(cosines.Concepts.Count, parameters.LatentsPerConcept);

    /// <summary>One latent's reference-image embeddings (count, dim).</summary>
    public sealed record References(int Latent, float[] Embeddings, int Count);

    /// <summary>Labels (and Logit Lens scores, when there is a lens) for each latent of the chunk, in its order.</summary>
    public (SemanticLabeling Labels, LogitLensResult? Lens)[] Label(IReadOnlyList<References> chunk)
    {
        var concepts = cosines.Concepts;
        int dim = concepts.Dim, count = concepts.Count;
        var means = new float[chunk.Count * dim];
        for (int i = 0; i < chunk.Count; i++)
            SemanticAlignment.MeanEmbedding(chunk[i].Embeddings, chunk[i].Count, dim).CopyTo(means, i * dim);
        var alignments = cosines.Of(means, chunk.Count);
        float[]? lensScores = null;
        if (lens is not null)
            lensScores = cosines.Of(chunk.SelectMany(r => lens.Embedding(r.Latent)).ToArray(), chunk.Count);

        var results = new (SemanticLabeling, LogitLensResult?)[chunk.Count];
        for (int i = 0; i < chunk.Count; i++)
        {
            var s = alignments.AsSpan(i * count, count);
            float empty = (float)ImageTextScore.Cosine(means.AsSpan(i * dim, dim), emptyPrompt);
            for (int c = 0; c < count; c++) s[c] -= empty;   // Eq. 2's second term
            Ranking.Add(chunk[i].Latent, s);
            var labels = new List<SemanticLabel>();
            foreach (int c in ConceptCosines.Top(s, parameters.Labels)) labels.Add(new SemanticLabel(concepts.Labels[c], s[c]));
            var labeling = new SemanticLabeling(Vocabulary, [.. labels], ClarityOf(chunk[i], dim));
            LogitLensResult? logitLens = null;
            if (lensScores is not null)
            {
                var scores = lensScores.AsSpan(i * count, count);
                var best = new List<LogitLensScore>();
                foreach (int c in ConceptCosines.Top(scores, parameters.LogitLensConcepts)) best.Add(new LogitLensScore(concepts.Labels[c], scores[c]));
                logitLens = new LogitLensResult(Vocabulary, [.. best]);
            }
            results[i] = (labeling, logitLens);
        }
        return results;
    }

    string Vocabulary => parameters.VocabularyId;

    static double? ClarityOf(References r, int dim)
    {
        if (r.Count < 2) return null;
        try { return Clarity.Of(r.Embeddings, r.Count, dim); }
        catch (ArgumentException) { return null; }   // a zero embedding has no direction
    }
}
