using Orleans;

namespace Actors.Grains.Steering;

/// <summary>An image of a registered corpus, by its id there (relative path or manifest id).</summary>
[GenerateSerializer, Immutable, Alias("actors.SteeringImage")]
public sealed record SteeringImage([property: Id(0)] string CorpusId, [property: Id(1)] string ImageId);

/// <summary>One latent edit on every hooked row: <paramref name="Op"/> "set" (a' = value), "scale" (a·value) or "add" (a + value).</summary>
[GenerateSerializer, Immutable, Alias("actors.SteeringEdit")]
public sealed record SteeringEdit([property: Id(0)] int Latent, [property: Id(1)] string Op, [property: Id(2)] float Value);

/// <summary>
/// Steer a few images through an SAE: the edits at the SAE's hook, the output distribution over a registered
/// vocabulary before and after, its <paramref name="Top"/> concepts each.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SteeringQuery")]
public sealed record SteeringQuery([property: Id(0)] string SaeId, [property: Id(1)] SteeringImage[] Images,
    [property: Id(2)] SteeringEdit[] Interventions, [property: Id(3)] string VocabularyId, [property: Id(4)] int Top);

/// <summary>A concept with its probability under CLIP's zero-shot distribution over a vocabulary.</summary>
[GenerateSerializer, Immutable, Alias("actors.ConceptProbability")]
public sealed record ConceptProbability([property: Id(0)] string Concept, [property: Id(1)] double Probability);

/// <summary>
/// One steered image: the top concepts before and after the edits, and the total variation distance
/// ½ Σ_v |P̃(v) − P(v)| between the two whole distributions.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.SteeredImage")]
public sealed record SteeredImage([property: Id(0)] string CorpusId, [property: Id(1)] string ImageId, [property: Id(2)] string? Label,
    [property: Id(3)] ConceptProbability[] Before, [property: Id(4)] ConceptProbability[] After, [property: Id(5)] double TotalVariation);

[GenerateSerializer, Immutable, Alias("actors.SteeringAnswer")]
public sealed record SteeringAnswer([property: Id(0)] string SaeId, [property: Id(1)] string VocabularyId,
    [property: Id(2)] SteeringEdit[] Interventions, [property: Id(3)] SteeredImage[] Images);
