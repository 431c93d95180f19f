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

/// <summary>Wire form of <see cref="TopReferences"/>: k and the entries, best first.</summary>
[GenerateSerializer, Alias("actors.TopReferences")]
public readonly struct TopReferencesSurrogate
{
    [Id(0)] public required int Capacity { get; init; }
    [Id(1)] public required ReferenceImage[] Items { get; init; }
}

[RegisterConverter]
public sealed class TopReferencesConverter : IConverter<TopReferences, TopReferencesSurrogate>
{
    public TopReferences ConvertFromSurrogate(in TopReferencesSurrogate s) => new(s.Capacity) { Items = s.Items };

    public TopReferencesSurrogate ConvertToSurrogate(in TopReferences t) => new() { Capacity = t.Capacity, Items = [.. t.Items] };
}

/// <summary>Wire form of <see cref="LogHistogram"/>: its counts (a deserialized histogram spans every slot).</summary>
[GenerateSerializer, Alias("actors.LogHistogram")]
public readonly struct LogHistogramSurrogate
{
    [Id(0)] public required long[] Counts { get; init; }
}

[RegisterConverter]
public sealed class LogHistogramConverter : IConverter<LogHistogram, LogHistogramSurrogate>
{
    public LogHistogram ConvertFromSurrogate(in LogHistogramSurrogate s) => new(s.Counts);

    public LogHistogramSurrogate ConvertToSurrogate(in LogHistogram h) => new() { Counts = (long[])h.Counts.Clone() };
}
