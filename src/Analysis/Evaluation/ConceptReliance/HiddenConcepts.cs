namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// Seed 000 Sec. 4.2a, Eq. 7: hidden concepts are latents with high relevance and low alignment,
/// R_j(x, t) ≥ τ_rel and s_j(t) ≤ τ_align. The relevance may be an activation, the paper's output-agnostic proxy
/// (App. C.2 uses mean top-20 activation > 3.0); the alignment is Eq. 2's s_j against the expected label, or its
/// maximum over a label set when no label should match (App. C.2).
/// </summary>
public static class HiddenConcepts
{
    /// <summary>The latents meeting Eq. 7, most relevant first (ties: lower index first). Thresholds are floats like the
    /// scores, so a threshold written as 0.2 compares equal to a score of 0.2f.</summary>
    public static int[] Select(ReadOnlySpan<float> relevance, ReadOnlySpan<float> alignment, float relevanceThreshold, float alignmentThreshold)
    {
        if (relevance.Length != alignment.Length) throw new ArgumentException($"{relevance.Length} relevances but {alignment.Length} alignments");
        var found = new List<int>();
        for (int j = 0; j < relevance.Length; j++)
            if (relevance[j] >= relevanceThreshold && alignment[j] <= alignmentThreshold) found.Add(j);
        var r = relevance.ToArray();
        return found.OrderByDescending(j => r[j]).ThenBy(j => j).ToArray();
    }
}
