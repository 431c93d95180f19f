using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>A latent's contribution to one class: Σ_i a_i[s] over the class's images, and how many had a_i[s] &gt; 0.</summary>
[GenerateSerializer, Alias("actors.LatentClassActivation")]
public readonly record struct LatentClassActivation([property: Id(0)] double Sum, [property: Id(1)] long Images)
{
    public static LatentClassActivation Merge(in LatentClassActivation a, in LatentClassActivation b) =>
        new(a.Sum + b.Sum, a.Images + b.Images);
}

/// <summary>
/// Class-level latent activations a_c[s] of seed 002 Eq. 5 (sparse over latents s): a_{i,j}[s] = 𝟙(h_{i,j}[s] &gt; τ)
/// (Eq. 4), a_i[s] = Σ_j a_{i,j}[s], a_c[s] = Σ_{i∈I_c} a_i[s]. Sums merge by addition.
/// </summary>
[GenerateSerializer, Alias("actors.ClassActivations")]
public sealed class ClassActivations
{
    /// <summary>Seed 002 App. A.1: τ = 0.2.</summary>
    public const double DefaultThreshold = 0.2;

    [Id(0)] public Dictionary<int, LatentClassActivation> Latents { get; init; } = [];

    public void Add(int latent, double sum, long images)
    {
        Latents.TryGetValue(latent, out var a);
        Latents[latent] = LatentClassActivation.Merge(a, new LatentClassActivation(sum, images));
    }

    public void MergeFrom(ClassActivations other)
    {
        foreach (var (latent, a) in other.Latents) Add(latent, a.Sum, a.Images);
    }

    public ClassActivations Clone() => new() { Latents = new Dictionary<int, LatentClassActivation>(Latents) };

    /// <summary>The k latents with the largest a_c[s] (ties: lower index first), as top-k class masking needs.</summary>
    public IReadOnlyList<(int Latent, double Activation)> Top(int k) =>
        Latents.OrderByDescending(kv => kv.Value.Sum).ThenBy(kv => kv.Key).Take(k)
            .Select(kv => (kv.Key, kv.Value.Sum)).ToList();
}
