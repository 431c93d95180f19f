namespace Actors.Silo.Hosting;

public enum GrainStorageProvider { Sqlite, Postgres }

/// <summary>Settings of a silo; plain properties so they bind from the "Silo" configuration section.</summary>
public sealed class SiloOptions
{
    /// <summary>Folder for the SQLite file and the blob store unless those paths are set.</summary>
    public string DataFolder { get; set; } = "data";
    public GrainStorageProvider Storage { get; set; } = GrainStorageProvider.Sqlite;
    /// <summary>SQLite database file; default {DataFolder}/grains.db.</summary>
    public string? SqlitePath { get; set; }
    public string? PostgresConnectionString { get; set; }
    public string PostgresSchema { get; set; } = "public";
    /// <summary>Content-addressed blob folder (thumbnails); default {DataFolder}/blobs.</summary>
    public string? BlobFolder { get; set; }
    /// <summary>An activation with no call for this long is deactivated (Orleans's default is 15 minutes).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Port for silo-to-silo messages, on 127.0.0.1.</summary>
    public int SiloPort { get; set; } = 11111;
    /// <summary>Port clients (a separate API process) connect to; 0 opens no gateway (the embedded default needs none).</summary>
    public int GatewayPort { get; set; }

    public string ResolvedSqlitePath => SqlitePath ?? Path.Combine(DataFolder, "grains.db");
    public string ResolvedBlobFolder => BlobFolder ?? Path.Combine(DataFolder, "blobs");
}
