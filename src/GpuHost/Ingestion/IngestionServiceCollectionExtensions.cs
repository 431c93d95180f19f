using Actors.GpuHost.Hosting;
using Actors.GpuHost.Jobs;
using Actors.Grains.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Ingestion on this process's CPU backend: the model host's services (AddModelHost: catalogs of loaded models and
    /// SAEs), the pipeline and the handler of job "ingestion", which the job runner (AddJobs) runs.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<IngestionOptions>() ?? new IngestionOptions();
        services.AddSingleton(options);
        services.AddModelHost();
        services.AddSingleton(sp => new ImageBatchLoader(sp.GetRequiredService<IBlobStore>(), options.ThumbnailSize, new HttpClient()));
        services.AddSingleton(sp => LatentGrainReferences.From(sp));
        services.AddSingleton<IngestionJob>();
        services.AddSingleton<IJobHandler, IngestionHandler>();
        return services;
    }
}
