namespace Actors.Blobs;

public enum BlobStoreKind { Folder, Azure }

/// <summary>Where reference thumbnails are stored (configuration section "Blobs").</summary>
public sealed class BlobStoreOptions
{
    public BlobStoreKind Kind { get; set; } = BlobStoreKind.Folder;
    /// <summary>The folder store's root; default {Silo:DataFolder}/blobs.</summary>
    public string? Folder { get; set; }
    /// <summary>Azure Blob storage (or azurite on loopback: "UseDevelopmentStorage=true").</summary>
    public string? AzureConnectionString { get; set; }
    public string Container { get; set; } = "thumbnails";
}
