using Actors.GpuHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Jobs.Evaluations;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>The evaluation job handlers (faithfulness, failure-detection, probing, masking, shared-sae) on the model host's catalogs.</summary>
    public static IServiceCollection AddEvaluations(this IServiceCollection services)
    {
        services.AddModelHost();
        services.AddSingleton<EvaluationInputs>();
        services.AddSingleton<IJobHandler, FaithfulnessJobHandler>();
        services.AddSingleton<IJobHandler, FailureDetectionJobHandler>();
        services.AddSingleton<IJobHandler, ProbingJobHandler>();
        services.AddSingleton<IJobHandler, MaskingJobHandler>();
        services.AddSingleton<IJobHandler, SharedSaeJobHandler>();
        return services;
    }
}
