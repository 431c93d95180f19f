using Actors.GpuHost.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Jobs.Retraining;

public static class RetrainingServiceCollectionExtensions
{
    /// <summary>The "sae-retraining" job handler (section "Retraining"); needs the job runner (AddJobs) and a blob store.</summary>
    public static IServiceCollection AddRetraining(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Retraining").Get<RetrainingOptions>() ?? new RetrainingOptions();
        options.Folder ??= Path.Combine(configuration["Silo:DataFolder"] ?? "data", "retraining");
        services.AddSingleton(options);
        services.AddModelHost();
        services.AddSingleton<IJobHandler, SaeRetrainingHandler>();
        return services;
    }
}
