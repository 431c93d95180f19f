using Orleans;
using Orleans.Runtime;

namespace Actors.Testing;

/// <summary>
/// How many activations of a grain class each silo holds, as Orleans's management grain counts them: where the
/// latents of a cluster were placed, which silo a killed one held, whether a role kept a grain type off a silo.
/// Compiled into Grains.Tests, Api.Tests and Benchmarks (one source, linked).
/// </summary>
public static class GrainCensus
{
    /// <summary>Activations of <paramref name="grainClass"/> (a class name, e.g. "LatentGrain") per silo; silos holding
    /// none are absent. <paramref name="silos"/> limits the count to those silos (all active silos by default).</summary>
    public static async Task<Dictionary<SiloAddress, int>> PerSiloAsync(IGrainFactory grains, string grainClass, SiloAddress[]? silos = null)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var statistics = silos is null ? await management.GetSimpleGrainStatistics() : await management.GetSimpleGrainStatistics(silos);
        return statistics.Where(s => s.GrainType.Contains(grainClass, StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }
}
