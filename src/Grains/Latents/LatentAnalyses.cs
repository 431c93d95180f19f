namespace Actors.Grains.Latents;

/// <summary>One label's semantic alignment s_j(t) to a latent (seed 000 Eq. 2).</summary>
public sealed record SemanticLabel(string Text, double Alignment);

/// <summary>
/// A latent's semantic labels against one vocabulary, best first; the assigned label is argmax_t s_j(t)
/// (seed 000 Eq. 2). Filled by the analysis that computes the alignments, not by ingestion.
/// </summary>
public sealed record SemanticLabeling(string Vocabulary, SemanticLabel[] Labels)
{
    public SemanticLabel? Assigned => Labels.Length == 0 ? null : Labels.MaxBy(l => l.Alignment);
}

/// <summary>One text's Logit Lens score v_j/‖v_j‖ · t/‖t‖ (seed 000 Eq. 3).</summary>
public sealed record LogitLensScore(string Text, double Score);

/// <summary>A latent's Logit Lens scores against one vocabulary, best first.</summary>
public sealed record LogitLensResult(string Vocabulary, LogitLensScore[] Scores);
