using Actors.Vision.Checkpoints;

namespace Actors.Vision.Tests.Checkpoints;

public class HalfPrecisionTests
{
    [Fact]
    public void EveryHalfBitPatternWidensExactlyAsSystemHalfDoes()
    {
        for (int bits = 0; bits < 65536; bits++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
            float actual = HalfPrecision.HalfToFloat((ushort)bits);
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"bits 0x{bits:X4}");
            else Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
        }
    }

    [Fact]
    public void NarrowingToHalfRoundsToNearestEvenLikeSystemHalf()
    {
        var rng = new Random(1234);
        var values = new List<float>
        {
            0f, -0f, 1f, -1f, 65504f, 65519.99f, 65520f, 1e6f, -1e6f, 6.1035156e-05f, 5.9604645e-08f,
            2.9802322e-08f, 2.9802326e-08f, 8.940697e-08f, 1e-10f, float.Epsilon, float.MaxValue,
            float.PositiveInfinity, float.NegativeInfinity, 1.0009765625f /* exactly between 1 and next half */,
            1.00146484375f, 2049f, 2051f, 3.14159265f,
        };
        // Random bit patterns cover every exponent range; values at exact half-way points test ties to even.
        for (int i = 0; i < 200_000; i++) values.Add(BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next(2) << 31)));
        for (int h = 0; h < 65535; h += 7)
        {
            float a = HalfPrecision.HalfToFloat((ushort)h), b = HalfPrecision.HalfToFloat((ushort)(h + 1));
            if (float.IsFinite(a) && float.IsFinite(b)) values.Add((float)(((double)a + b) / 2));
        }
        foreach (var v in values)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)v);
            ushort actual = HalfPrecision.FloatToHalf(v);
            if (float.IsNaN(v)) Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(actual)));
            else Assert.True(expected == actual, $"{v:R} (0x{BitConverter.SingleToUInt32Bits(v):X8}): expected 0x{expected:X4}, got 0x{actual:X4}");
        }
    }

    [Fact]
    public void BFloat16WideningPutsTheBitsInTheHighHalf()
    {
        Assert.Equal(1.0f, HalfPrecision.BFloat16ToFloat(0x3F80));
        Assert.Equal(-2.0f, HalfPrecision.BFloat16ToFloat(0xC000));
        Assert.Equal(float.PositiveInfinity, HalfPrecision.BFloat16ToFloat(0x7F80));
        Assert.True(float.IsNaN(HalfPrecision.BFloat16ToFloat(0x7FC0)));
    }

    /// <summary>Independent reference: pick whichever of the two neighbouring bfloat16 values is nearer in exact
    /// double arithmetic, ties to the even one; a value past the largest finite one rounds to infinity the way
    /// an unbounded exponent would (2^128 stands in for the "next" value after the largest finite).</summary>
    private static ushort ReferenceBFloat16(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        ushort lo = (ushort)(bits >> 16);
        if ((bits & 0xFFFF) == 0) return lo;
        ushort hi = (ushort)(lo + 1);
        double x = Math.Abs((double)v);
        double loV = Math.Abs((double)HalfPrecision.BFloat16ToFloat(lo));
        double hiV = (hi & 0x7FFF) == 0x7F80 ? Math.Pow(2, 128) : Math.Abs((double)HalfPrecision.BFloat16ToFloat(hi));
        double dLo = x - loV, dHi = hiV - x;
        if (dLo < dHi) return lo;
        if (dHi < dLo) return hi;
        return (lo & 1) == 0 ? lo : hi;
    }

    [Fact]
    public void NarrowingToBFloat16RoundsToNearestEvenAgainstExactArithmetic()
    {
        var rng = new Random(99);
        var values = new List<float> { 0f, -0f, 1f, float.MaxValue, -float.MaxValue, float.Epsilon, 3.3895314e38f, 1.00390625f, 1.01171875f };
        for (int i = 0; i < 200_000; i++)
        {
            float v = BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next(2) << 31));
            if (float.IsFinite(v)) values.Add(v);
        }
        for (int i = 0; i < 5000; i++) // exact ties: low 16 bits = 0x8000
            values.Add(BitConverter.UInt32BitsToSingle(((uint)rng.Next() & 0x7F7F0000u) | 0x8000u));
        foreach (var v in values)
            Assert.Equal(ReferenceBFloat16(v), HalfPrecision.FloatToBFloat16(v));
        Assert.Equal((ushort)0x7F80, HalfPrecision.FloatToBFloat16(float.PositiveInfinity));
        Assert.True(float.IsNaN(HalfPrecision.BFloat16ToFloat(HalfPrecision.FloatToBFloat16(float.NaN))));
        Assert.True(float.IsNaN(HalfPrecision.BFloat16ToFloat(HalfPrecision.FloatToBFloat16(BitConverter.UInt32BitsToSingle(0x7F800001)))));
    }
}
