namespace Actors.Sae.Matching;

/// <summary>How latents of a new SAE version are matched to the old version's.</summary>
public sealed record LatentMatchOptions
{
    /// <summary>A pair scoring below this is not a match (its latents are reported unmatched). 0.7 is the decoder
    /// cosine Paulo &amp; Belrose (2025) take as "the same feature" across trainings.</summary>
    public double Threshold { get; init; } = 0.7;
    /// <summary>The exact assignment runs when both SAEs have at most this many latents (O(n³): about a second at
    /// 2,048 on one core); larger pairs use the greedy approximation over <see cref="Candidates"/>.</summary>
    public int ExactMaxLatents { get; init; } = 2048;
    /// <summary>Old latents considered per new latent in the approximation (the most decoder-similar ones).</summary>
    public int Candidates { get; init; } = 16;
    /// <summary>Weight w of co-activation in a pair's score (1 − w)·cos + w·Jaccard, where firing sets are given and
    /// either latent fired; a pair neither of which fired is scored by its cosine alone.</summary>
    public double CoActivationWeight { get; init; } = 0.5;

    public void Validate()
    {
        if (!(Threshold > 0 && Threshold <= 1)) throw new ArgumentException($"match threshold {Threshold} must be in (0, 1]");
        if (ExactMaxLatents < 0 || Candidates < 1) throw new ArgumentException($"exact limit {ExactMaxLatents} and candidates {Candidates} must be non-negative and positive");
        if (!(CoActivationWeight >= 0 && CoActivationWeight <= 1)) throw new ArgumentException($"co-activation weight {CoActivationWeight} must be in [0, 1]");
    }
}

/// <summary>A new latent's match: the old latent, the combined score and its parts (co-activation null when not measured
/// or when neither fired).</summary>
public sealed record LatentMatch(int NewLatent, int OldLatent, double Score, double Cosine, double? CoActivation);

/// <summary>
/// The mapping between versions: one-to-one matches, best first by new latent index, and the latents of each side
/// left without a partner. <see cref="Method"/> is "hungarian" (exact) or "greedy-top{C}" (approximate);
/// <see cref="CoActivationImages"/> the images firing was compared over (0: decoder cosine alone).
/// </summary>
public sealed record LatentMatching(string Method, double Threshold, int CoActivationImages, LatentMatch[] Matches,
    int[] UnmatchedNew, int[] UnmatchedOld);
