using Actors.Analysis;
using Actors.Analysis.Relevance;
using Actors.Tensors;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// The six attribution methods of seed 000 Sec. 5.1 (Fig. 3, App. B.2), by the names the job results and the world
/// claims use, and each one's relevance of every latent for one sample as a dense vector (d_SAE) for the orderings.
/// <list type="bullet">
/// <item>actxgrad, actxlogitlens, energy, ig: the Analysis methods (Eq. 29; a_j·LogitLens_j; a_j‖v_j‖; Integrated
/// Gradients with 10 steps), summed over hooked rows; inactive latents score 0.</item>
/// <item>logitlens: Eq. 3 for every latent, active or not — the global score the authors rank all latents by, so
/// inactive latents it ranks high waste deletion steps (LatentOrdering's reading).</item>
/// <item>random: "a random ordering of active latents": each active latent scores 1 + u, u uniform from a SplitMix64
/// seeded by (seed, sample), inactive ones 0 — a uniformly random order of the active latents, first. A random
/// reference image (App. B.2 "Deletion (random)") draws from its own stream, (seed, references, index).</item>
/// </list>
/// </summary>
public sealed class FaithfulnessMethods(LatentAttributor attributor, ClassPrompts prompts, ulong seed)
{
    public const string ActTimesGradient = "actxgrad", ActTimesLogitLens = "actxlogitlens", LogitLens = "logitlens",
        Energy = "energy", IntegratedGradients = "ig", Random = "random";

    public static readonly IReadOnlyList<string> All = [ActTimesGradient, ActTimesLogitLens, LogitLens, Energy, IntegratedGradients, Random];

    /// <summary>How seed 000 Fig. 3 names the method.</summary>
    public static string Label(string method) => method switch
    {
        ActTimesGradient => "Act×Grad", ActTimesLogitLens => "Act×LogitLens", LogitLens => "LogitLens", Energy => "Energy",
        IntegratedGradients => "Integrated Grad", Random => "random",
        _ => throw new ArgumentException($"method '{method}' is not one of {string.Join(", ", All)}"),
    };

    readonly Dictionary<int, float[]> lensByClass = [];

    /// <summary>Keeps the random references' draws of "random" apart from the samples' (seed, sample) streams.</summary>
    const ulong ReferenceStream = 0x7265666572656e63;   // "referenc"

    /// <summary>R_j for every latent of sample <paramref name="sample"/> (its decomposition <paramref name="d"/>) and prompt class <paramref name="classIndex"/>.</summary>
    public float[] Relevance(string method, int sample, LatentDecomposition d, int classIndex) =>
        Relevance(method, SplitMix64.Derive(seed, (ulong)sample), d, classIndex);

    /// <summary>R_j of random reference image <paramref name="reference"/> for the prompt of class <paramref name="classIndex"/> (App. B.2 "Deletion (random)").</summary>
    public float[] ReferenceRelevance(string method, int reference, LatentDecomposition d, int classIndex) =>
        Relevance(method, SplitMix64.Derive(seed, ReferenceStream, (ulong)reference), d, classIndex);

    float[] Relevance(string method, ulong randomSeed, LatentDecomposition d, int classIndex)
    {
        var text = prompts.Embeddings[classIndex];
        ILatentRelevance? local = method switch
        {
            ActTimesGradient => new ActTimesGradient(),
            ActTimesLogitLens => new ActTimesLogitLens(),
            Energy => new EnergyRelevance(),
            IntegratedGradients => new IntegratedGradients(10),
            LogitLens or Random => null,
            _ => throw new ArgumentException($"method '{method}' is not one of {string.Join(", ", All)}"),
        };
        if (local is not null) return Dense(local.Attribute(new AttributionInput(attributor.Gradient, attributor.Lens, d, text)), d.Sae.DSae);
        if (method == LogitLens) return (float[])LensOf(classIndex).Clone();
        var scores = new float[d.Sae.DSae];
        var rng = new SplitMix64(randomSeed);
        var a = d.Activations;
        for (int e = 0; e < a.Values.Length; e++)
            if (a.Values[e] > 0 && scores[a.Indices[e]] == 0) scores[a.Indices[e]] = 1f + (float)rng.NextDouble();
        return scores;
    }

    float[] LensOf(int classIndex)
    {
        if (lensByClass.TryGetValue(classIndex, out var lens)) return lens;
        var text = prompts.Embeddings[classIndex];
        lens = new float[attributor.Sae.DSae];
        for (int j = 0; j < lens.Length; j++) lens[j] = (float)attributor.Lens.Score(j, text);
        return lensByClass[classIndex] = lens;
    }

    internal static float[] Dense(LatentRelevance relevance, int latents)
    {
        var dense = new float[latents];
        foreach (var l in relevance.Latents) dense[l.Latent] = (float)l.Relevance;
        return dense;
    }
}
