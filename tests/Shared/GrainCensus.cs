using Orleans;
using Orleans.Runtime;

namespace Actors.Testing;

/// <summary>
/// One snapshot of the activations each silo holds, as Orleans's management grain counts them: where the latents of a
/// cluster were placed, which silo a killed one held, whether a role kept a grain type off a silo. Compiled into
/// Grains.Tests, Api.Tests and Benchmarks (one source, linked).
/// </summary>
public sealed class GrainCensus
{
    readonly SimpleGrainStatistic[] statistics;

    GrainCensus(SimpleGrainStatistic[] statistics) => this.statistics = statistics;

    /// <summary>Counts the activations of all active silos, or of <paramref name="silos"/> alone.</summary>
    public static async Task<GrainCensus> TakeAsync(IGrainFactory grains, SiloAddress[]? silos = null)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        return new(silos is null ? await management.GetSimpleGrainStatistics() : await management.GetSimpleGrainStatistics(silos));
    }

    /// <summary>Activations of <paramref name="grainClass"/> (a class name, e.g. "LatentGrain") per silo; silos holding
    /// none are absent.</summary>
    public Dictionary<SiloAddress, int> PerSilo(string grainClass) => statistics
        .Where(s => s.GrainType.Contains(grainClass, StringComparison.Ordinal))
        .GroupBy(s => s.SiloAddress).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
}
