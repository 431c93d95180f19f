using Actors.Cluster;
using Actors.GpuHost.Hosting;
using Actors.GpuHost.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Actors.GpuHost.Tests.Hosting;

/// <summary>
/// Which grain classes a silo offers to placement, read from the options its host is built with (nothing is started):
/// the dashboard's grain lists the grain types of its own silo, so a GPU host, which has only the host grains, must
/// never be where it is placed; a storage silo offers it.
/// </summary>
public sealed class GpuHostSiloTests
{
    static readonly Dictionary<string, string?> DashboardOn = new() { ["Cluster:Dashboard"] = "true" };

    static HashSet<Type> GrainClasses(Action<ISiloBuilder, IConfiguration> silo)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(DashboardOn);
        builder.UseOrleans(s => silo(s, builder.Configuration));
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<GrainTypeOptions>>().Value.Classes;
    }

    [Fact]
    public void AGpuHostSiloOffersTheHostGrainsButNotTheDashboardGrain()
    {
        var classes = GrainClasses((s, c) => s.UseGpuHostSilo(c));
        Assert.Contains(typeof(JobHostGrain), classes);
        Assert.Contains(typeof(ModelHostGrain), classes);
        Assert.DoesNotContain(classes, ClusterHostingExtensions.IsDashboardGrain);
    }

    [Fact]
    public void ASiloThatJoinsWithTheDashboardOffersItsGrain()
    {
        var classes = GrainClasses((s, c) => s.UseActorsCluster(c, "storage"));
        Assert.Single(classes, ClusterHostingExtensions.IsDashboardGrain);
    }
}
