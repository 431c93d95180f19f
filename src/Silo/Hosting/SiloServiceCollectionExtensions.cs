using Actors.Grains.Runtime;
using Actors.Silo.Blobs;
using Actors.Grains.Blobs;
using Actors.Silo.Runtime;
using Actors.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Silo.Hosting;

public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime (as SiloRuntime and IGrainFactory), the configured grain storage, the blob store,
    /// and a hosted service that deactivates every grain (writing state) when the host stops.
    /// </summary>
    public static IServiceCollection AddSilo(this IServiceCollection services, Action<SiloOptions> configure)
    {
        var options = new SiloOptions();
        configure(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => options.StorageFactory?.Invoke(sp) ?? CreateStorage(options));
        services.AddSingleton<IBlobStore>(_ => new FolderBlobStore(options.ResolvedBlobFolder));
        services.AddSingleton<SiloRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<SiloRuntime>());
        services.AddHostedService<SiloHostedService>();
        return services;
    }

    static IGrainStorage CreateStorage(SiloOptions options) => options.Storage switch
    {
        GrainStorageProvider.Sqlite => new SqliteGrainStorage(options.ResolvedSqlitePath),
        GrainStorageProvider.Postgres => new PostgresGrainStorage(
            options.PostgresConnectionString ?? throw new InvalidOperationException(
                "Silo:Storage is Postgres but Silo:PostgresConnectionString is not set"),
            options.PostgresSchema),
        _ => throw new InvalidOperationException($"unknown grain storage provider {options.Storage}"),
    };
}

/// <summary>Starts the silo with the host (so storage errors show at startup) and deactivates all grains on stop.</summary>
internal sealed class SiloHostedService(SiloRuntime runtime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (runtime.Storage is IInitializableStorage storage) await storage.InitializeAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync();
}
