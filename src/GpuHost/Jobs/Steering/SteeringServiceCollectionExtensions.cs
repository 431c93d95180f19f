using Actors.GpuHost.Analysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.GpuHost.Jobs.Steering;

public static class SteeringServiceCollectionExtensions
{
    /// <summary>
    /// Steering on a GPU host (seed 001 Sec. 6-7): the synchronous query behind IModelHostGrain.SteerAsync and the job
    /// handlers "steering-sweep", "steerability", "suppression" and "typographic-defence". Needs the ingestion's
    /// catalogs and image loader (AddIngestion) and the job runner (AddJobs).
    /// </summary>
    public static IServiceCollection AddSteering(this IServiceCollection services)
    {
        services.TryAddSingleton<VocabularyCache>();
        services.AddSingleton<SteeringSessions>();
        services.AddSingleton<SteeringQueryRunner>();
        services.AddSingleton<IJobHandler, SteeringSweepHandler>();
        services.AddSingleton<IJobHandler, SteerabilityHandler>();
        services.AddSingleton<IJobHandler, SuppressionHandler>();
        services.AddSingleton<IJobHandler, TypographicDefenceHandler>();
        return services;
    }
}
