namespace Actors.Analysis.Evaluation.Statistics;

/// <summary>A mean and its standard error of the mean, s/√n with s the sample standard deviation (n − 1).</summary>
public sealed record MeanWithError(double Mean, double StandardError, int Count)
{
    /// <summary>Mean and SEM of the values; the SEM is NaN for fewer than two values.</summary>
    public static MeanWithError Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) throw new ArgumentException("mean of no values");
        var m = RunningMoments.Of(values);
        return new MeanWithError(m.Mean, m.StandardDeviation / Math.Sqrt(values.Length), values.Length);
    }
}
