namespace Actors.Grains.Sketches;

/// <summary>
/// Fixed log-spaced bins over activation values: <see cref="BinsPerDecade"/> bins per decade from
/// 10^<see cref="MinExponent"/> to 10^<see cref="MaxExponent"/>, plus an underflow bin (values below the range,
/// zero and negatives included) and an overflow bin. Because the bin edges never move, two histograms merge by
/// adding counts, which is exactly associative and commutative.
/// Layout of <see cref="Counts"/>: [underflow, bin 0 .. bin B−1, overflow].
/// </summary>
public sealed class LogHistogram : IEquatable<LogHistogram>
{
    public const int MinExponent = -4;
    public const int MaxExponent = 4;
    public const int BinsPerDecade = 10;
    public const int RangeBins = (MaxExponent - MinExponent) * BinsPerDecade;
    public const int Length = RangeBins + 2;
    static readonly double MinValue = Math.Pow(10, MinExponent);
    static readonly double MaxValue = Math.Pow(10, MaxExponent);

    public long[] Counts { get; init; }

    public LogHistogram() => Counts = new long[Length];

    public LogHistogram(long[] counts)
    {
        if (counts.Length != Length)
            throw new ArgumentException($"histogram needs {Length} counts (underflow, {RangeBins} bins, overflow), found {counts.Length}");
        Counts = counts;
    }

    public long Total { get { long t = 0; foreach (var c in Counts) t += c; return t; } }

    /// <summary>Index into <see cref="Counts"/> for a value.</summary>
    public static int SlotOf(double x)
    {
        if (!(x >= MinValue)) return 0;          // NaN, ≤ 0 and tiny values underflow
        if (x >= MaxValue) return Length - 1;
        int bin = (int)Math.Floor((Math.Log10(x) - MinExponent) * BinsPerDecade);
        return 1 + Math.Clamp(bin, 0, RangeBins - 1);
    }

    /// <summary>Lower edge of a range bin b (0 ≤ b &lt; RangeBins): 10^(MinExponent + b/BinsPerDecade).</summary>
    public static double LowerEdge(int bin) => Math.Pow(10, MinExponent + (double)bin / BinsPerDecade);

    public void Add(double x) => Counts[SlotOf(x)]++;

    public void MergeFrom(LogHistogram other)
    {
        var a = Counts.AsSpan();
        var b = other.Counts.AsSpan();
        for (int i = 0; i < a.Length; i++) a[i] += b[i];
    }

    public LogHistogram Clone() => new((long[])Counts.Clone());

    public static LogHistogram Merge(LogHistogram a, LogHistogram b) { var m = a.Clone(); m.MergeFrom(b); return m; }

    public bool Equals(LogHistogram? other) => other is not null && Counts.AsSpan().SequenceEqual(other.Counts);
    public override bool Equals(object? obj) => Equals(obj as LogHistogram);
    public override int GetHashCode() => (int)Total;
}
