namespace Actors.Tensors;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fully specified PRNG, so seeded data (the synthetic world, the order
/// activations are shuffled in) is reproducible across .NET versions and processes (System.Random's algorithm is not a
/// stable contract).
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n) by the multiply-shift map of the top 32 bits (bias below 2^-32·n).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);
    }

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Derives an independent seed from a parent seed and labels (one SplitMix64 step per label).</summary>
    public static ulong Derive(ulong seed, params ulong[] labels)
    {
        ulong s = seed;
        foreach (ulong label in labels) s = new SplitMix64(s ^ (label * 0xD1B54A32D192ED03UL)).NextUInt64();
        return s;
    }
}
