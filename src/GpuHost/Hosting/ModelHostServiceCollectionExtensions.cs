using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Tensors.Backends;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Actors.GpuHost.Hosting;

public static class ModelHostServiceCollectionExtensions
{
    /// <summary>
    /// What <see cref="ModelHostGrain"/> and ingestion share on a host: this process's CPU backend, the catalogs of
    /// loaded models (each warmed up once it has loaded, <see cref="LoadedModelWarmUp"/>) and SAEs, the concept and
    /// prompt encoders, the vocabularies' concept embeddings, image attribution. The grain also needs the silo's
    /// <c>IBlobStore</c>. Idempotent.
    /// </summary>
    public static IServiceCollection AddModelHost(this IServiceCollection services)
    {
        services.TryAddSingleton<IComputeBackend>(_ => new CpuBackend());
        services.TryAddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoadedModelWarmUp));
            int thumbnails = (sp.GetService<IngestionOptions>() ?? new IngestionOptions()).ThumbnailSize;
            return new ModelCatalog(sp.GetRequiredService<IComputeBackend>(), loaded => _ = LoadedModelWarmUp.Start(loaded, thumbnails, logger));
        });
        services.TryAddSingleton<SaeCatalog>();
        services.TryAddSingleton<ConceptEncoder>();
        services.TryAddSingleton<PromptEncoder>();
        services.TryAddSingleton<VocabularyCache>();
        services.TryAddSingleton<CorpusImages>();
        services.TryAddSingleton<ImageAttribution>();
        return services;
    }
}
