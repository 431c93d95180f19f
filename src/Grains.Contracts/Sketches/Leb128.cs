namespace Actors.Grains.Sketches;

/// <summary>
/// Unsigned LEB128 varints (7 bits per byte, high bit set on all but the last), the integers of the packed sketch
/// forms (<see cref="ReferencePacking"/>, the histogram's surrogate). <paramref name="what"/> names the form in errors.
/// </summary>
internal static class Leb128
{
    public const int MaxBytes = 10;

    /// <summary>Writes <paramref name="value"/> at <paramref name="at"/> (at most <see cref="MaxBytes"/> bytes) and advances it.</summary>
    public static void Write(Span<byte> buffer, ref int at, ulong value)
    {
        while (value >= 0x80) { buffer[at++] = (byte)(value | 0x80); value >>= 7; }
        buffer[at++] = (byte)value;
    }

    /// <summary>Reads the varint at <paramref name="at"/> and advances past it; a cut-off or over-long one is refused.</summary>
    public static ulong Read(ReadOnlySpan<byte> data, ref int at, string what)
    {
        ulong value = 0;
        for (int shift = 0; shift < 7 * MaxBytes; shift += 7)
        {
            if (at >= data.Length) throw new InvalidDataException($"{what}: the bytes end early, inside a varint");
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException($"{what}: a varint runs past {MaxBytes} bytes");
    }
}
