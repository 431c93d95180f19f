using Actors.Grains.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Blobs;

public static class BlobStoreServiceExtensions
{
    /// <summary>
    /// Registers the <see cref="IBlobStore"/> the "Blobs" section names: a folder (default under the data folder) or
    /// an Azure container. The GPU host writes thumbnails, the API reads them; in a cluster both name the same store.
    /// </summary>
    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Blobs").Get<BlobStoreOptions>() ?? new BlobStoreOptions();
        string dataFolder = configuration["Silo:DataFolder"] ?? "data";
        services.AddSingleton(options);
        services.AddSingleton<IBlobStore>(_ => options.Kind switch
        {
            BlobStoreKind.Folder => new FolderBlobStore(options.Folder ?? Path.Combine(dataFolder, "blobs")),
            BlobStoreKind.Azure => new AzureBlobStore(options.AzureConnectionString ?? throw new InvalidOperationException(
                "Blobs:Kind is Azure but Blobs:AzureConnectionString is not set"), options.Container),
            _ => throw new InvalidOperationException($"unknown blob store kind {options.Kind}"),
        });
        return services;
    }
}
