using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GpuHost.Jobs;

public static class JobServiceCollectionExtensions
{
    /// <summary>The job runner (section "Jobs"); handlers are added as <see cref="IJobHandler"/> singletons.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<JobOptions>() ?? new JobOptions();
        if (options.HeartbeatSeconds <= 0 || options.HeartbeatSeconds * 2 > options.LeaseSeconds)
            throw new ArgumentException($"Jobs: HeartbeatSeconds ({options.HeartbeatSeconds}) must be positive and at most half of LeaseSeconds ({options.LeaseSeconds})");
        services.AddSingleton(options);
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        return services;
    }
}
