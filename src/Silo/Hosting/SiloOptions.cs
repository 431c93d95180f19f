namespace Actors.Silo.Hosting;

public enum GrainStorageProvider { Sqlite, Postgres }

/// <summary>
/// Grain storage settings of a storage silo; plain properties so they bind from the "Silo" configuration section
/// (which also holds the silo's endpoint, <see cref="Actors.Cluster.SiloEndpoint"/>).
/// </summary>
public sealed class SiloOptions
{
    /// <summary>Folder for the SQLite file (and the folder blob store) unless their paths are set.</summary>
    public string DataFolder { get; set; } = "data";
    public GrainStorageProvider Storage { get; set; } = GrainStorageProvider.Sqlite;
    /// <summary>SQLite database file; default {DataFolder}/grains.db.</summary>
    public string? SqlitePath { get; set; }
    public string? PostgresConnectionString { get; set; }
    public string PostgresSchema { get; set; } = "public";
    /// <summary>An activation with no call for this long is deactivated (Orleans's default is 15 minutes).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Compile the grain state codecs beside the silo's start-up (<see cref="Storage.StateCodecWarmUp"/>).</summary>
    public bool WarmUpStateCodecs { get; set; } = true;

    public string ResolvedSqlitePath => SqlitePath ?? Path.Combine(DataFolder, "grains.db");
}
