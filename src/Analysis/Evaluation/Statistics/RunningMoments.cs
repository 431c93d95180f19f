namespace Actors.Analysis.Evaluation.Statistics;

/// <summary>
/// Count, mean and M2 (sum of squared deviations from the mean) of a stream of values: Welford's one-pass update for
/// one value and Chan, Golub and LeVeque's (1979) parallel update for two partial streams, so moments gathered on
/// different machines or batches merge to those of the concatenation (up to rounding) and a variance can be read at
/// any time. The default value is the empty stream.
/// </summary>
public readonly record struct RunningMoments(long Count, double Mean, double M2)
{
    /// <summary>Welford: mean += δ/n, M2 += δ·(x − new mean).</summary>
    public RunningMoments Add(double x)
    {
        long n = Count + 1;
        double delta = x - Mean;
        double mean = Mean + delta / n;
        return new RunningMoments(n, mean, M2 + delta * (x - mean));
    }

    /// <summary>Chan et al.: δ = mean_b − mean_a, mean = mean_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n.</summary>
    public static RunningMoments Merge(RunningMoments a, RunningMoments b)
    {
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        long n = a.Count + b.Count;
        double delta = b.Mean - a.Mean;
        double mean = a.Mean + delta * ((double)b.Count / n);
        double m2 = a.M2 + b.M2 + delta * delta * ((double)a.Count * b.Count / n);
        return new RunningMoments(n, mean, m2);
    }

    public static RunningMoments Of(ReadOnlySpan<double> values)
    {
        var m = default(RunningMoments);
        foreach (double x in values) m = m.Add(x);
        return m;
    }

    /// <summary>Unbiased sample variance M2/(n − 1) (the σ̂ of seed 000 Eq. 8 is its root); NaN below two values.</summary>
    public double SampleVariance => Count < 2 ? double.NaN : Math.Max(M2, 0) / (Count - 1);

    public double StandardDeviation => Math.Sqrt(SampleVariance);
}
