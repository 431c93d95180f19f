using Actors.Blobs;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs;
using Actors.GpuHost.Jobs.Steering;
using Actors.GpuHost.Jobs.Labelling;
using Microsoft.Extensions.DependencyInjection;
using Actors.GpuHost.Jobs.Retraining;
using Actors.GpuHost.Jobs.Evaluations;
using Actors.GpuHost.Search;
using Microsoft.Extensions.Configuration;
using Actors.Cluster;
using Orleans.Hosting;

namespace Actors.GpuHost.Hosting;

public static class GpuHostServices
{
    /// <summary>
    /// A GPU-host silo of a cluster (the `silo` verb): it joins the cluster as "gpu-host", hosts the host grains
    /// (<see cref="AddGpuHost"/>) and never the dashboard's grain, whose list of grain types comes from its own silo's
    /// classes (<see cref="ClusterHostingExtensions.HostNoDashboardGrain"/>).
    /// </summary>
    public static ISiloBuilder UseGpuHostSilo(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.UseActorsCluster(configuration, "gpu-host").HostNoDashboardGrain().AddGpuHost(configuration);

    /// <summary>
    /// What makes a silo a GPU host: the model catalogs, the job runner (section "Jobs") that the host grains (e.g.
    /// <see cref="JobHostGrain"/>) wake, with the handlers of every job kind — ingestion (section "Ingestion"),
    /// labelling, steering, retraining, evaluations — and the blob store thumbnails and plots go to. Only this assembly
    /// has the host grain classes and only the Grains assembly has the storage grains, so a silo of this process alone
    /// never activates a latent, and a storage silo alone never runs a model.
    /// </summary>
    public static ISiloBuilder AddGpuHost(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddIngestion(configuration.GetSection("Ingestion"));
        silo.Services.AddJobs(configuration.GetSection("Jobs"));
        silo.Services.AddSteering();
        silo.Services.AddSingleton<IJobHandler, LatentLabellingHandler>();
        silo.Services.AddRetraining(configuration);
        silo.Services.AddEvaluations();
        silo.Services.AddLatentSearch();
        silo.Services.AddBlobStore(configuration);
        return silo;
    }
}
