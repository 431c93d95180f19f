using Actors.Analysis.Evaluation.Statistics;

namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>
/// The expected relevance of one latent for one class (seed 000 Sec. 4.2b): over the class's reference samples, how
/// many there were, on how many the relevance was non-zero (R_j = a_j·∂y/∂a_j is zero where the latent is off), and
/// the mean and M2 of the relevance. Merging two records of disjoint sample sets gives the record of their union
/// (Chan et al.), so the z-score of Eq. 8 can be read from merged moments at any time.
/// </summary>
public readonly record struct RelevanceMoments(long Count, long NonzeroCount, double Mean, double M2)
{
    public RelevanceMoments Add(double relevance)
    {
        var m = Moments.Add(relevance);
        return new RelevanceMoments(m.Count, NonzeroCount + (relevance != 0 ? 1 : 0), m.Mean, m.M2);
    }

    public static RelevanceMoments Merge(RelevanceMoments a, RelevanceMoments b)
    {
        var m = RunningMoments.Merge(a.Moments, b.Moments);
        return new RelevanceMoments(m.Count, a.NonzeroCount + b.NonzeroCount, m.Mean, m.M2);
    }

    public RunningMoments Moments => new(Count, Mean, M2);

    /// <summary>σ̂_j: the sample standard deviation (n − 1); NaN below two samples.</summary>
    public double StandardDeviation => Moments.StandardDeviation;

    /// <summary>
    /// Seed 000 Eq. 8: z = (R_j(x_test, t) − μ_j) / σ̂_j. A latent whose reference relevance never varied (σ̂ = 0,
    /// typically one never active on the class) gives ±∞ for any other relevance and 0 for its mean, so that
    /// relevance it was never expected to carry still stands out. NaN below two reference samples.
    /// </summary>
    public double ZScore(double relevance)
    {
        double sd = StandardDeviation;
        double deviation = relevance - Mean;
        if (sd > 0 || double.IsNaN(sd)) return deviation / sd;
        return deviation == 0 ? 0 : deviation > 0 ? double.PositiveInfinity : double.NegativeInfinity;
    }
}
