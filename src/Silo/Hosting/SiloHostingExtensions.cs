using Actors.Grains.Blobs;
using Actors.Silo.Blobs;
using Actors.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Hosts an Orleans silo in this process, configured from the "Silo" section: localhost clustering on
    /// 127.0.0.1, the grain storage and blob store. <paramref name="configure"/> adds what the process hosts beside.
    /// </summary>
    public static IHostApplicationBuilder AddActorsSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configure = null)
    {
        var options = builder.Configuration.GetSection("Silo").Get<SiloOptions>() ?? new SiloOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: options.SiloPort, gatewayPort: options.GatewayPort);
            silo.AddActorsGrainServices(options);
            configure?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>What every silo of ours has whatever its clustering: grain storage (the default provider, so a
    /// grain's [PersistentState("name")] needs no provider name), the blob store, and collection settings.</summary>
    public static ISiloBuilder AddActorsGrainServices(this ISiloBuilder silo, SiloOptions options)
    {
        silo.Services.AddSingleton(options);
        silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => CreateStorage(options, sp));
        silo.Services.AddSingleton<IBlobStore>(_ => new FolderBlobStore(options.ResolvedBlobFolder));
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.CollectionAge);
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
