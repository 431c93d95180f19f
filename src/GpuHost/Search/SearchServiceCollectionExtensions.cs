using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>Free-text latent search behind IModelHostGrain.SearchLatentsAsync; needs the model host's catalogs and corpus images (AddModelHost) and the silo's blob store.</summary>
    public static IServiceCollection AddLatentSearch(this IServiceCollection services)
    {
        services.AddSingleton<LatentSearchIndex>();
        return services;
    }
}
