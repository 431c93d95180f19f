namespace Actors.Analysis.Steering;

/// <summary>Equal-width bins of S_f: Edges has Counts.Length + 1 entries; a value on an inner edge counts in the bin above it, the last bin is closed.</summary>
public sealed record SteerabilityHistogram(double[] Edges, long[] Counts);

/// <summary>
/// Layer-level steerability over a set F of features (all of a layer's latents, or a sample of them as seed 001
/// Sec. 6.2.2 does), each with its S_f at one strength (seed 001 Sec. 6.1.2):
/// <list type="bullet">
/// <item>Eq. 6, S = (1/|F|) Σ_f S_f (<see cref="MeanSteerability"/>).</item>
/// <item>Eq. 7, #S = (1/|F|) Σ_f 1[S_f &gt; γ], a proportion (<see cref="SteerableFraction"/>; the count beside it).</item>
/// <item>Eq. 8, #C = Σ_f 1[S_f &gt; β], a count of features (<see cref="ConceptCoverage"/>). Sec. 6.2.3 reads the same
/// figure as "concepts accessed"; <see cref="ConceptsCovered"/> counts that directly: the distinct concepts that
/// the features above β promote most (argmax of their mean probability change).</item>
/// </list>
/// </summary>
public sealed record LayerSteerability(int Features, double MeanSteerability, double SteerableFraction, int SteerableCount,
    int ConceptCoverage, int ConceptsCovered, SteerabilityHistogram Histogram)
{
    /// <param name="steerability">S_f per feature of F.</param>
    /// <param name="promotedConcept">Per feature, the index of the concept it promotes most.</param>
    public static LayerSteerability Of(IReadOnlyList<double> steerability, IReadOnlyList<int> promotedConcept, double gamma, double beta, int bins = 20)
    {
        int n = steerability.Count;
        if (n == 0) throw new ArgumentException("layer steerability needs at least one feature");
        if (promotedConcept.Count != n) throw new ArgumentException($"{promotedConcept.Count} promoted concepts for {n} features");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), "at least one bin");
        double sum = 0; int steerable = 0, coverage = 0;
        var covered = new HashSet<int>();
        for (int f = 0; f < n; f++)
        {
            double s = steerability[f];
            sum += s;
            if (s > gamma) steerable++;
            if (s > beta) { coverage++; covered.Add(promotedConcept[f]); }
        }
        return new LayerSteerability(n, sum / n, steerable / (double)n, steerable, coverage, covered.Count,
            BinSteerability(steerability, bins, Math.Max(gamma, beta)));
    }

    /// <summary>Bins over [0, max(max S_f, the larger threshold)] (1 when all are 0), so the thresholds fall inside.</summary>
    static SteerabilityHistogram BinSteerability(IReadOnlyList<double> values, int bins, double threshold)
    {
        double top = Math.Max(values.Max(), threshold);
        if (!(top > 0)) top = 1;
        var edges = Enumerable.Range(0, bins + 1).Select(b => top * b / bins).ToArray();
        var counts = new long[bins];
        foreach (double v in values)
        {
            int b = Math.Clamp((int)Math.Floor(v / top * bins), 0, bins - 1);
            while (b > 0 && v < edges[b]) b--;              // the edges decide, not the rounding of v / top
            while (b < bins - 1 && v >= edges[b + 1]) b++;
            counts[b]++;
        }
        return new SteerabilityHistogram(edges, counts);
    }
}
