using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>
/// A running job's position: <see cref="Done"/> of <see cref="Total"/> units of its current <see cref="Stage"/>, and the
/// latest figures it reports (e.g. loss, explained variance) by name.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.JobProgress")]
public sealed record JobProgress([property: Id(0)] long Done, [property: Id(1)] long Total, [property: Id(2)] string? Stage,
    [property: Id(3)] IReadOnlyDictionary<string, double> Metrics)
{
    public static readonly JobProgress None = new(0, 0, null, new Dictionary<string, double>());

    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;
}
