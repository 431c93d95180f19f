namespace Actors.Analysis.Relevance;

/// <summary>
/// What one relevance method says about one image and prompt.
/// <list type="bullet">
/// <item><see cref="Latents"/>: every latent active in some hooked row, most relevant first. For additive methods R_j is
/// the sum over rows of the per-row relevances (<see cref="EntryRelevance"/>); Logit Lens reports its global score.</item>
/// <item><see cref="EntryRelevance"/>: per (row, latent) entry, aligned with the decomposition's Activations.Values —
/// for token hooks, a per-token map of each latent's relevance.</item>
/// <item><see cref="Bias"/>, <see cref="Error"/>: the bias and error terms as components of their own (seed 000
/// App. B.1, a = 1); null where a method does not attribute them.</item>
/// <item><see cref="Score"/>: y(x, t) at the image; <see cref="Baseline"/>: y at the method's reference point, where it has one
/// (Integrated Gradients: all latent activations 0).</item>
/// </list>
/// </summary>
public sealed record LatentRelevance(string Method, double Score, IReadOnlyList<LatentScore> Latents, double[] EntryRelevance,
    double? Bias = null, double? Error = null, double? Baseline = null)
{
    /// <summary>Σ_j R_j + bias + error terms (those present).</summary>
    public double Total => Latents.Sum(l => l.Relevance) + (Bias ?? 0) + (Error ?? 0);

    /// <summary>Builds the result from per-entry relevances: per latent, activations and relevances summed over rows
    /// (or, when <paramref name="sumRows"/> is false, the relevance of any one entry — a per-latent score such as Logit Lens).
    /// Entries with a = 0 (a top-k pick the ReLU zeroed) are not active: their relevance is 0 and they are not listed.</summary>
    public static LatentRelevance FromEntries(string method, double score, LatentDecomposition decomposition, double[] entryRelevance,
        double? bias = null, double? error = null, double? baseline = null, bool sumRows = true)
    {
        var a = decomposition.Activations;
        if (entryRelevance.Length != a.Values.Length)
            throw new ArgumentException($"{method}: {entryRelevance.Length} entry relevances for {a.Values.Length} entries");
        var byLatent = new Dictionary<int, (double Activation, double Relevance)>();
        for (int e = 0; e < a.Values.Length; e++)
        {
            if (a.Values[e] == 0) { entryRelevance[e] = 0; continue; }
            var (act, rel) = byLatent.GetValueOrDefault(a.Indices[e]);
            byLatent[a.Indices[e]] = (act + a.Values[e], sumRows ? rel + entryRelevance[e] : entryRelevance[e]);
        }
        var latents = byLatent.Select(p => new LatentScore(p.Key, p.Value.Activation, p.Value.Relevance))
            .OrderByDescending(l => l.Relevance).ThenBy(l => l.Latent).ToList();
        return new LatentRelevance(method, score, latents, entryRelevance, bias, error, baseline);
    }
}
