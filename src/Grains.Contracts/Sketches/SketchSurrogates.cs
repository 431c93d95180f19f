using Orleans;

namespace Actors.Grains.Sketches;

// Orleans surrogates for the sketch types whose fields are not their wire form: each keeps caches beside its data
// (a reference's identity hash, the top-k's activation and key arrays, a histogram's occupied span) that the
// constructors rebuild. Serializing a surrogate and converting back through those constructors is what keeps a
// copy's caches equal to the original's, so a merge after a round trip gives what it gave before.

/// <summary>Wire form of <see cref="ReferenceImage"/>.</summary>
[GenerateSerializer, Alias("actors.ReferenceImage")]
public readonly struct ReferenceImageSurrogate
{
    [Id(0)] public required ImageRef Image { get; init; }
    [Id(1)] public required double Activation { get; init; }
    [Id(2)] public string? Label { get; init; }
    [Id(5)] public required PatchHeatmap Heatmap { get; init; }
}

[RegisterConverter]
public sealed class ReferenceImageConverter : IConverter<ReferenceImage, ReferenceImageSurrogate>
{
    public ReferenceImage ConvertFromSurrogate(in ReferenceImageSurrogate s) =>
        new(s.Image, s.Activation, s.Label, s.Heatmap);

    public ReferenceImageSurrogate ConvertToSurrogate(in ReferenceImage r) => new()
    {
        Image = r.Image, Activation = r.Activation, Label = r.Label, Heatmap = r.PatchHeatmap,
    };
}

/// <summary>
/// Wire form of <see cref="TopReferences"/>: k and the entries, best first, packed into one byte array
/// (<see cref="ReferencePacking"/>). Records stored before the packing hold the entries as objects (id 1); they are
/// still read, and written packed the next time the latent is stored.
/// </summary>
[GenerateSerializer, Alias("actors.TopReferences")]
public readonly struct TopReferencesSurrogate
{
    [Id(0)] public required int Capacity { get; init; }
    [Id(1)] public ReferenceImage[]? Items { get; init; }
    [Id(2)] public byte[]? Packed { get; init; }
}

[RegisterConverter]
public sealed class TopReferencesConverter : IConverter<TopReferences, TopReferencesSurrogate>
{
    public TopReferences ConvertFromSurrogate(in TopReferencesSurrogate s) =>
        new(s.Capacity) { Items = s.Packed is { } packed ? ReferencePacking.Unpack(packed) : s.Items ?? [] };

    public TopReferencesSurrogate ConvertToSurrogate(in TopReferences t) => new() { Capacity = t.Capacity, Packed = t.Packed() };
}

/// <summary>
/// Wire form of <see cref="LogHistogram"/>: the first occupied slot, then the counts up to the last occupied one as
/// unsigned LEB128 varints (a latent's activations fill a few adjacent bins of the 82, so this is a dozen bytes
/// instead of 656). Records stored before the packing hold every count (id 0); they are still read.
/// </summary>
[GenerateSerializer, Alias("actors.LogHistogram")]
public readonly struct LogHistogramSurrogate
{
    [Id(0)] public long[]? Counts { get; init; }
    [Id(1)] public byte[]? Packed { get; init; }
}

[RegisterConverter]
public sealed class LogHistogramConverter : IConverter<LogHistogram, LogHistogramSurrogate>
{
    public LogHistogram ConvertFromSurrogate(in LogHistogramSurrogate s) =>
        new(s.Packed is { } packed ? Unpack(packed) : s.Counts ?? new long[LogHistogram.Length]);

    public LogHistogramSurrogate ConvertToSurrogate(in LogHistogram h) => new() { Packed = Pack(h.Counts) };

    const string PackedHistogram = "packed histogram";

    static byte[] Pack(long[] counts)
    {
        int first = Array.FindIndex(counts, c => c != 0), last = Array.FindLastIndex(counts, c => c != 0);
        if (first < 0) return [0];
        Span<byte> buffer = stackalloc byte[Leb128.MaxBytes * (2 + LogHistogram.Length)];
        int at = 0;
        Leb128.Write(buffer, ref at, (ulong)first + 1);          // 0: empty
        Leb128.Write(buffer, ref at, (ulong)(last - first + 1));
        for (int i = first; i <= last; i++)
            Leb128.Write(buffer, ref at, counts[i] >= 0 ? (ulong)counts[i] : throw new InvalidOperationException($"histogram slot {i} holds a negative count"));
        return buffer[..at].ToArray();
    }

    static long[] Unpack(byte[] packed)
    {
        var counts = new long[LogHistogram.Length];
        int at = 0;
        ulong first = Leb128.Read(packed, ref at, PackedHistogram);
        if (first == 0) return counts;
        ulong n = Leb128.Read(packed, ref at, PackedHistogram);
        if (first - 1 + n > (ulong)LogHistogram.Length) throw new InvalidDataException($"packed histogram: slots {first - 1}..{first - 1 + n} of {LogHistogram.Length}");
        for (int i = 0; i < (int)n; i++) counts[(int)first - 1 + i] = checked((long)Leb128.Read(packed, ref at, PackedHistogram));
        if (at != packed.Length) throw new InvalidDataException("packed histogram: bytes left after the last count");
        return counts;
    }
}
