using Actors.Cluster;
using Actors.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Hosts a storage silo in this process (latent, concept, registry and corpus grains), configured from the "Silo"
    /// section and joined to the cluster the "Cluster" section names (localhost clustering by default).
    /// <paramref name="configure"/> adds what the process hosts beside (the embedded default adds the GPU host).
    /// </summary>
    public static IHostApplicationBuilder AddActorsSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configure = null)
    {
        var options = builder.Configuration.GetSection("Silo").Get<SiloOptions>() ?? new SiloOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseActorsCluster(builder.Configuration, "storage");
            silo.AddActorsGrainServices(options);
            configure?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>What every storage silo has whatever its clustering: grain storage (the default provider, so a
    /// grain's [PersistentState("name")] needs no provider name) and collection settings.</summary>
    public static ISiloBuilder AddActorsGrainServices(this ISiloBuilder silo, SiloOptions options)
    {
        silo.Services.AddSingleton(options);
        silo.Services.TryAddSingleton(TimeProvider.System);   // job leases read the clock through it (tests move it)
        silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => CreateStorage(options, sp));
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.CollectionAge);
        if (options.WarmUpStateCodecs)
        {
            silo.Services.AddSingleton<StateCodecWarmUp>();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<StateCodecWarmUp>());
        }
        return silo;
    }

    static SqlGrainStorage CreateStorage(SiloOptions options, IServiceProvider services)
    {
        var serializer = services.GetRequiredService<Serializer>();
        return options.Storage switch
        {
            GrainStorageProvider.Sqlite => new SqliteGrainStorage(options.ResolvedSqlitePath, serializer),
            GrainStorageProvider.Postgres => new PostgresGrainStorage(
                options.PostgresConnectionString ?? throw new InvalidOperationException(
                    "Silo:Storage is Postgres but Silo:PostgresConnectionString is not set"),
                serializer, options.PostgresSchema),
            _ => throw new InvalidOperationException($"unknown grain storage provider {options.Storage}"),
        };
    }
}
