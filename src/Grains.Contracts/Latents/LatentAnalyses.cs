using Orleans;
namespace Actors.Grains.Latents;

/// <summary>One label's semantic alignment s_j(t) to a latent (seed 000 Eq. 2).</summary>
[GenerateSerializer, Immutable, Alias("actors.SemanticLabel")]
public sealed record SemanticLabel([property: Id(0)] string Text, [property: Id(1)] double Alignment);

/// <summary>
/// A latent's semantic labels against one vocabulary, best first; the assigned label is argmax_t s_j(t)
/// (seed 000 Eq. 2). <paramref name="Clarity"/> is the clarity of the reference images the labels were computed from
/// (seed 000 Sec. 5.2; null when fewer than two). Filled by the labelling job, not by ingestion — or carried over from
/// the matched latent of the SAE version this one was retrained from (<paramref name="CarriedFrom"/> says which).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SemanticLabeling")]
public sealed record SemanticLabeling([property: Id(0)] string Vocabulary, [property: Id(1)] SemanticLabel[] Labels,
    [property: Id(2)] double? Clarity = null, [property: Id(3)] CarriedLabels? CarriedFrom = null)
{
    public SemanticLabel? Assigned => Labels.Length == 0 ? null : Labels.MaxBy(l => l.Alignment);
}

/// <summary>Labels carried from latent <paramref name="Latent"/> of SAE <paramref name="SaeId"/> (the previous
/// version), matched to this latent with <paramref name="MatchScore"/> (decoder cosine, or its mix with co-activation).</summary>
[GenerateSerializer, Immutable, Alias("actors.CarriedLabels")]
public sealed record CarriedLabels([property: Id(0)] string SaeId, [property: Id(1)] int Latent, [property: Id(2)] double MatchScore);

/// <summary>One text's Logit Lens score v_j/‖v_j‖ · t/‖t‖ (seed 000 Eq. 3).</summary>
[GenerateSerializer, Immutable, Alias("actors.LogitLensScore")]
public sealed record LogitLensScore([property: Id(0)] string Text, [property: Id(1)] double Score);

/// <summary>A latent's Logit Lens scores against one vocabulary, best first.</summary>
[GenerateSerializer, Immutable, Alias("actors.LogitLensResult")]
public sealed record LogitLensResult([property: Id(0)] string Vocabulary, [property: Id(1)] LogitLensScore[] Scores);
