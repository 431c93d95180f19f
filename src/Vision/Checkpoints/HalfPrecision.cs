namespace Actors.Vision.Checkpoints;

/// <summary>
/// Bit-level conversions between float32 and the two 16-bit float formats checkpoints use.
/// IEEE 754 binary16 (F16: 1 sign, 5 exponent, 10 mantissa bits) and bfloat16 (BF16: the top 16 bits of a float32).
/// Narrowing rounds to nearest, ties to even, as PyTorch and safetensors do.
/// </summary>
public static class HalfPrecision
{
    public static float BFloat16ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    public static ushort FloatToBFloat16(float value)
    {
        uint x = BitConverter.SingleToUInt32Bits(value);
        if ((x & 0x7F80_0000u) == 0x7F80_0000u && (x & 0x007F_FFFFu) != 0)
            return (ushort)((x >> 16) | 0x0040u); // NaN stays NaN (quiet bit set so truncation cannot make it Inf)
        // Add 0x7FFF plus the lowest kept bit: rounds half to even on the 16 dropped bits; overflow carries into
        // the exponent, which correctly rounds the largest finite values up to infinity.
        uint lsb = (x >> 16) & 1u;
        return (ushort)((x + 0x7FFFu + lsb) >> 16);
    }

    public static float HalfToFloat(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        int exp = (h >> 10) & 0x1F;
        uint mant = (uint)(h & 0x3FF);
        if (exp == 0x1F) // Inf or NaN
            return BitConverter.UInt32BitsToSingle(sign | 0x7F80_0000u | (mant << 13));
        if (exp == 0)
        {
            if (mant == 0) return BitConverter.UInt32BitsToSingle(sign); // ±0
            // Subnormal half: value = mant · 2^-24, exactly representable in float32.
            float v = mant * (1.0f / 16777216.0f);
            return sign != 0 ? -v : v;
        }
        return BitConverter.UInt32BitsToSingle(sign | (uint)(exp - 15 + 127) << 23 | (mant << 13));
    }

    public static ushort FloatToHalf(float value)
    {
        uint x = BitConverter.SingleToUInt32Bits(value);
        uint sign = (x >> 16) & 0x8000u;
        int exp = (int)((x >> 23) & 0xFF);
        uint mant = x & 0x007F_FFFFu;

        if (exp == 0xFF) // Inf or NaN
            return (ushort)(sign | 0x7C00u | (mant != 0 ? 0x0200u | (mant >> 13) : 0u));

        int e = exp - 127 + 15; // re-biased exponent
        if (e >= 0x1F) return (ushort)(sign | 0x7C00u); // too large: infinity

        if (e <= 0)
        {
            // Result is subnormal (or zero): shift the full significand (with implicit 1) right.
            if (e < -10) return (ushort)sign; // below half the smallest subnormal: rounds to ±0
            uint m = mant | 0x0080_0000u;
            int shift = 14 - e; // 13 bits of mantissa narrowing + (1 - e) for the subnormal scale
            uint kept = m >> shift;
            uint rem = m & ((1u << shift) - 1);
            uint half = 1u << (shift - 1);
            if (rem > half || (rem == half && (kept & 1u) != 0)) kept++;
            return (ushort)(sign | kept); // a carry into bit 10 correctly yields the smallest normal
        }

        uint result = ((uint)e << 10) | (mant >> 13);
        uint r = mant & 0x1FFFu;
        if (r > 0x1000u || (r == 0x1000u && (result & 1u) != 0)) result++; // carry may reach infinity: correct
        return (ushort)(sign | result);
    }
}
