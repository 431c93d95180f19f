using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>Free-text latent search behind IModelHostGrain.SearchLatentsAsync; needs the ingestion's catalogs and image loader (AddIngestion).</summary>
    public static IServiceCollection AddLatentSearch(this IServiceCollection services)
    {
        services.AddSingleton<ReferenceImageEncoder>();
        services.AddSingleton<LatentSearchIndex>();
        return services;
    }
}
