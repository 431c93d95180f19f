using System.Numerics;
using System.Runtime.InteropServices;

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

    // Slots outside [lo, hi) are known to be zero. A per-batch delta holds a handful of values in a few adjacent
    // bins, so merging only its occupied span reads ~2 cache lines of it instead of all 82 counts. Only
    // histograms made by Sparse() start narrow: anything else (default, from counts, deserialized) spans all
    // slots, because its public Counts array may have been written directly.
    int lo, hi = Length;

    public long[] Counts { get; init; }

    public LogHistogram() => Counts = new long[Length];

    public LogHistogram(long[] counts)
    {
        if (counts.Length != Length)
            throw new ArgumentException($"histogram needs {Length} counts (underflow, {RangeBins} bins, overflow), found {counts.Length}");
        Counts = counts;
    }

    /// <summary>
    /// An empty histogram that tracks which slots it has filled through <see cref="Add"/> (for per-batch deltas).
    /// Its counts must not be written through <see cref="Counts"/> directly.
    /// </summary>
    public static LogHistogram Sparse() => new() { lo = Length, hi = 0 };

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

    public void Add(double x) => AddToSlot(SlotOf(x));

    void AddToSlot(int slot)
    {
        Counts[slot]++;
        if (slot < lo) lo = slot;
        if (slot >= hi) hi = slot + 1;
    }

    public void MergeFrom(LogHistogram other)
    {
        int from = other.lo, to = other.hi;
        if (from >= to) return;
        AddSpan(Counts.AsSpan(from, to - from), other.Counts.AsSpan(from, to - from));
        if (from < lo) lo = from;
        if (to > hi) hi = to;
    }

    /// <summary>a += b element-wise, a SIMD vector of counts at a time.</summary>
    static void AddSpan(Span<long> a, ReadOnlySpan<long> b)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<long>.Count)
        {
            var va = MemoryMarshal.Cast<long, Vector<long>>(a);
            var vb = MemoryMarshal.Cast<long, Vector<long>>(b);
            for (int v = 0; v < va.Length; v++) va[v] += vb[v];
            i = va.Length * Vector<long>.Count;
        }
        for (; i < a.Length; i++) a[i] += b[i];
    }

    public LogHistogram Clone() => new((long[])Counts.Clone()) { lo = lo, hi = hi };

    public static LogHistogram Merge(LogHistogram a, LogHistogram b) { var m = a.Clone(); m.MergeFrom(b); return m; }

    public bool Equals(LogHistogram? other) => other is not null && Counts.AsSpan().SequenceEqual(other.Counts);
    public override bool Equals(object? obj) => Equals(obj as LogHistogram);
    public override int GetHashCode() => (int)Total;
}
