using System.Reflection;
using Actors.Grains.Runtime;
using Actors.Silo.Runtime;
using Actors.Silo.Storage;

namespace Actors.Silo.Hosting;

public enum GrainStorageProvider { Sqlite, Postgres }

/// <summary>Settings of the silo; plain properties so they bind from a configuration section ("Silo").</summary>
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
    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Write each state whose JSON changed since it was last read or written when a grain deactivates.</summary>
    public bool WriteStateOnDeactivate { get; set; } = true;
    /// <summary>Overrides <see cref="Storage"/> with a custom provider.</summary>
    public Func<IServiceProvider, IGrainStorage>? StorageFactory { get; set; }

    readonly List<GrainRegistration> grains = [];
    public IReadOnlyList<GrainRegistration> Grains => grains;

    public string ResolvedSqlitePath => SqlitePath ?? Path.Combine(DataFolder, "grains.db");
    public string ResolvedBlobFolder => BlobFolder ?? Path.Combine(DataFolder, "blobs");

    /// <summary>Registers the class that implements a grain interface. The grain type name keys stored state.</summary>
    public SiloOptions AddGrain<TInterface, TGrain>(string? grainType = null)
        where TInterface : IGrainWithStringKey where TGrain : Grain, TInterface =>
        AddGrain(typeof(TInterface), typeof(TGrain), grainType);

    public SiloOptions AddGrain(Type grainInterface, Type grainClass, string? grainType = null)
    {
        var registration = GrainRegistration.Create(grainInterface, grainClass, grainType);
        if (grains.Any(g => g.Interface == grainInterface))
            throw new ArgumentException($"{grainInterface.Name} already has a grain class registered");
        grains.Add(registration);
        return this;
    }

    /// <summary>Registers every concrete Grain class in the assembly for each grain interface it implements.</summary>
    public SiloOptions AddGrainsFrom(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsClass: true } && typeof(Grain).IsAssignableFrom(t)))
            foreach (var grainInterface in type.GetInterfaces().Where(i => i != typeof(IGrainWithStringKey) && typeof(IGrainWithStringKey).IsAssignableFrom(i)))
                AddGrain(grainInterface, type);
        return this;
    }
}
