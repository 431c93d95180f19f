using Actors.Grains.Blobs;
using Actors.Tensors.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Ingestion on this process's CPU backend: catalogs of loaded models and SAEs, the job, the background queue.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<IngestionOptions>() ?? new IngestionOptions();
        services.AddSingleton(options);
        services.AddSingleton<IComputeBackend>(_ => new CpuBackend());
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<SaeCatalog>();
        services.AddSingleton<ConceptEncoder>();
        services.AddSingleton(sp => new ImageBatchLoader(sp.GetRequiredService<IBlobStore>(), options.ThumbnailSize, new HttpClient()));
        services.AddSingleton<IngestionJob>();
        services.AddSingleton<IngestionService>();
        services.AddSingleton<IIngestionQueue>(sp => sp.GetRequiredService<IngestionService>());
        services.AddHostedService(sp => sp.GetRequiredService<IngestionService>());
        return services;
    }
}
