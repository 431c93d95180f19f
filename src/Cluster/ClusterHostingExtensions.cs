using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using System.Net;

namespace Actors.Cluster;

public static class ClusterHostingExtensions
{
    public static ClusterSettings ClusterSettings(this IConfiguration configuration) =>
        configuration.GetSection("Cluster").Get<ClusterSettings>() ?? new ClusterSettings();

    /// <summary>
    /// Joins a silo to the cluster the "Cluster" section names, listening where the "Silo" section says
    /// (<see cref="SiloEndpoint"/>); <paramref name="role"/> names the silo unless Silo:Name does.
    /// </summary>
    public static ISiloBuilder UseActorsCluster(this ISiloBuilder silo, IConfiguration configuration, string role)
    {
        var endpoint = configuration.GetSection("Silo").Get<SiloEndpoint>() ?? new SiloEndpoint();
        return silo.UseActorsCluster(configuration.ClusterSettings(), endpoint.Name ?? $"{role}-{endpoint.SiloPort}",
            endpoint.SiloPort, endpoint.GatewayPort);
    }

    /// <summary>
    /// Joins a silo to its cluster on 127.0.0.1: localhost clustering (one silo) or the Redis membership table, the
    /// cluster's ids, failure detection, and the dashboard's silo side where
    /// <see cref="ClusterSettings.Dashboard"/> asks for it. <paramref name="gatewayPort"/> 0 opens no
    /// gateway (a silo that clients never connect to).
    /// </summary>
    public static ISiloBuilder UseActorsCluster(this ISiloBuilder silo, ClusterSettings cluster, string siloName, int siloPort, int gatewayPort)
    {
        if (cluster.Membership == ClusterMembership.Localhost)
            silo.UseLocalhostClustering(siloPort: siloPort, gatewayPort: gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        else
        {
            silo.UseRedisClustering(cluster.Redis);
            silo.Configure<ClusterOptions>(o => { o.ServiceId = cluster.ServiceId; o.ClusterId = cluster.ClusterId; });
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = IPAddress.Loopback;
                o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, siloPort);
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;
                if (gatewayPort > 0) o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);
            });
        }
        silo.Configure<SiloOptions>(o => o.SiloName = siloName);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            if (cluster.ProbeTimeout is { } timeout) o.ProbeTimeout = timeout;
            if (cluster.NumMissedProbesLimit is { } missed) o.NumMissedProbesLimit = missed;
            if (cluster.NumVotesForDeathDeclaration is { } votes) o.NumVotesForDeathDeclaration = votes;
        });
        if (cluster.Dashboard) silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Keeps the Orleans Dashboard's grain off this silo; the dashboard's silo side still runs here, so this silo's
    /// statistics and grain calls reach the grain wherever it lives. That grain answers the dashboard's list of grain
    /// types (the grain-state page's choices) from the grain classes of the silo that hosts it: placed on a GPU host,
    /// which has only the host grains, it listed no latent, concept or registry grain (and the cluster fault test,
    /// which looks for the latents there, failed whenever placement chose the host).
    /// </summary>
    public static ISiloBuilder HostNoDashboardGrain(this ISiloBuilder silo) =>
        silo.Configure<GrainTypeOptions>(o => o.Classes.RemoveWhere(IsDashboardGrain));

    /// <summary>The dashboard's own grain class: internal to its package, so known by the interface it implements.</summary>
    public static bool IsDashboardGrain(Type grainClass) =>
        grainClass.Assembly == typeof(DashboardOptions).Assembly && grainClass.GetInterfaces().Any(i => i.Name == "IDashboardGrain");

    /// <summary>
    /// Connects a client (the API in a cluster) through the gateways the membership table lists; its calls in flight
    /// when a gateway dies fail at once (<see cref="GatewayLossGuard"/>).
    /// </summary>
    public static IClientBuilder UseActorsCluster(this IClientBuilder client, ClusterSettings cluster)
    {
        if (cluster.Membership == ClusterMembership.Localhost)
            throw new InvalidOperationException("a client needs a cluster to connect to: set Cluster:Membership to Redis");
        client.UseRedisClustering(cluster.Redis);
        client.Configure<ClusterOptions>(o => { o.ServiceId = cluster.ServiceId; o.ClusterId = cluster.ClusterId; });
        // The client learns which grain classes the cluster has (a GPU host's, once one joins) by polling its gateways;
        // Orleans's default of a minute left the API unable to reach a host that joined after it for that long.
        client.Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = TimeSpan.FromSeconds(2));
        client.Services.AddSingleton<GatewayLossGuard>();
        client.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<GatewayLossGuard>());
        client.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<GatewayLossGuard>());
        if (cluster.Dashboard) client.AddDashboard();
        return client;
    }
}
