using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// Largest value seen. <see cref="HasValue"/> stands in for −∞ because JSON has no infinity literal.
/// Max is a semilattice join: associative, commutative and idempotent.
/// </summary>
[GenerateSerializer, Alias("actors.MaxTracker")]
public readonly record struct MaxTracker([property: Id(0)] bool HasValue, [property: Id(1)] double Max)
{
    public static readonly MaxTracker Empty = default;

    public MaxTracker Add(double x) => !HasValue || x > Max ? new MaxTracker(true, x) : this;

    public static MaxTracker Merge(in MaxTracker a, in MaxTracker b)
    {
        if (!b.HasValue) return a;
        if (!a.HasValue) return b;
        return b.Max > a.Max ? b : a;
    }
}
