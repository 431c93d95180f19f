using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Concepts;

/// <summary>A latent aligned with this concept, with its score (e.g. s_j(t) of seed 000 Eq. 2).</summary>
[GenerateSerializer, Immutable, Alias("actors.AlignedLatent")]
public sealed record AlignedLatent([property: Id(0)] string SaeId, [property: Id(1)] int Latent, [property: Id(2)] double Score);

/// <summary>
/// A text concept: its text and text embedding, latents aligned with it, and per SAE the class-level latent
/// activations a_c[s] (seed 002 Eq. 5) of images labelled with it. The ledger key is "{sae}|{corpus}".
/// </summary>
[GenerateSerializer, Alias("actors.ConceptState")]
public sealed class ConceptState
{
    [Id(0)] public string? Text { get; set; }
    [Id(1)] public float[] Embedding { get; set; } = [];
    [Id(2)] public List<AlignedLatent> AlignedLatents { get; set; } = [];
    [Id(3)] public Dictionary<string, ClassActivations> ClassActivations { get; init; } = new(StringComparer.Ordinal);
    [Id(4)] public BatchLedger Ledger { get; init; } = new();
}

[GenerateSerializer, Immutable, Alias("actors.ConceptView")]
public sealed record ConceptView([property: Id(0)] string Vocabulary, [property: Id(1)] string Concept, [property: Id(2)] string? Text, [property: Id(3)] float[] Embedding,
    [property: Id(4)] AlignedLatent[] AlignedLatents, [property: Id(5)] Dictionary<string, ClassActivations> ClassActivations);
