using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// Count, mean and sum of squared deviations (M2) of a stream of values, mergeable in any grouping:
/// the pairwise update of Chan, Golub and LeVeque (1979) is exact in real arithmetic and numerically
/// stable in floating point, unlike sum/sum² which cancels catastrophically for large means.
/// </summary>
[GenerateSerializer, Alias("actors.Moments")]
public readonly record struct Moments([property: Id(0)] long Count, [property: Id(1)] double Mean, [property: Id(2)] double M2)
{
    public static readonly Moments Empty = default;

    /// <summary>Population variance M2/n (0 when empty).</summary>
    public double PopulationVariance => Count > 0 ? M2 / Count : 0;
    /// <summary>Sample variance M2/(n−1), the σ̂ of seed 000 Eq. 8 (0 when fewer than two values).</summary>
    public double SampleVariance => Count > 1 ? M2 / (Count - 1) : 0;
    public double SampleStdDev => Math.Sqrt(SampleVariance);
    public double Sum => Mean * Count;

    /// <summary>Welford's single-value update.</summary>
    public Moments Add(double x)
    {
        long n = Count + 1;
        double delta = x - Mean;
        double mean = Mean + delta / n;
        return new Moments(n, mean, M2 + delta * (x - mean));
    }

    /// <summary>Chan et al. parallel merge: δ = μ_b − μ_a, μ = μ_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n.</summary>
    public static Moments Merge(in Moments a, in Moments b)
    {
        if (b.Count == 0) return a;
        if (a.Count == 0) return b;
        long n = a.Count + b.Count;
        double delta = b.Mean - a.Mean;
        double mean = a.Mean + delta * ((double)b.Count / n);
        double m2 = a.M2 + b.M2 + delta * delta * ((double)a.Count * b.Count / n);
        return new Moments(n, mean, m2);
    }

    /// <summary>These moments extended by <paramref name="zeros"/> values equal to 0 (non-firing samples).</summary>
    public Moments WithZeros(long zeros) => zeros <= 0 ? this : Merge(this, new Moments(zeros, 0, 0));

    public static Moments Of(ReadOnlySpan<double> values)
    {
        var m = Empty;
        foreach (var v in values) m = m.Add(v);
        return m;
    }
}
