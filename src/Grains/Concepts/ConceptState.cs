using Actors.Grains.Sketches;

namespace Actors.Grains.Concepts;

/// <summary>A latent aligned with this concept, with its score (e.g. s_j(t) of seed 000 Eq. 2).</summary>
public sealed record AlignedLatent(string SaeId, int Latent, double Score);

/// <summary>
/// A text concept: its text and text embedding, latents aligned with it, and per SAE the class-level latent
/// activations a_c[s] (seed 002 Eq. 5) of images labelled with it. The ledger key is "{sae}|{corpus}".
/// </summary>
public sealed class ConceptState
{
    public string? Text { get; set; }
    public float[] Embedding { get; set; } = [];
    public List<AlignedLatent> AlignedLatents { get; set; } = [];
    public Dictionary<string, ClassActivations> ClassActivations { get; init; } = new(StringComparer.Ordinal);
    public BatchLedger Ledger { get; init; } = new();
}

public sealed record ConceptView(string Vocabulary, string Concept, string? Text, float[] Embedding,
    AlignedLatent[] AlignedLatents, Dictionary<string, ClassActivations> ClassActivations);
