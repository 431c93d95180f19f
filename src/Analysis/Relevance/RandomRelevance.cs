using Actors.Tensors;

namespace Actors.Analysis.Relevance;

/// <summary>
/// random, the floor of seed 000 Sec. 5.1: a standard-normal score for every active entry (inactive ones 0), from
/// SplitMix64 seeded by <paramref name="seed"/> — the same input and seed give the same ordering on every machine.
/// </summary>
public sealed class RandomRelevance(ulong seed) : ILatentRelevance
{
    public string Name => "random";

    public LatentRelevance Attribute(AttributionInput input)
    {
        var a = input.Decomposition.Activations;
        var rng = new SplitMix64(seed);
        var relevance = new double[a.Values.Length];
        for (int e = 0; e < a.Values.Length; e++)
        {
            // Box–Muller; 1 − u keeps the logarithm finite.
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            relevance[e] = a.Values[e] > 0 ? Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) : 0;
        }
        return LatentRelevance.FromEntries(Name, input.AtImage.Score, input.Decomposition, relevance);
    }
}
