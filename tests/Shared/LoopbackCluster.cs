namespace Actors.Testing;

/// <summary>
/// The cluster of deploy/cluster on loopback, as child processes of the test: redis-server (membership) and azurite
/// (thumbnails) on free ports, grain state in a PostgreSQL schema of its own, <paramref name="storageSilos"/> storage
/// silos (Silo.dll), one GPU-host silo (GpuHost.dll silo) and the API as an Orleans client. Failure detection is
/// tuned as the cluster script tunes it, so a killed silo is evicted in about a second. Compiled into Api.Tests and
/// Benchmarks (one source, linked).
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    readonly List<IAsyncDisposable> owned = [];

    public List<ApiProcess> StorageSilos { get; } = [];
    /// <summary>Null in a cluster of storage silos alone (<see cref="StartStorageAsync"/>), as is <see cref="Api"/>.</summary>
    public ApiProcess GpuHost { get; private set; } = null!;
    public ApiProcess Api { get; private set; } = null!;
    /// <summary>The membership store's port: another client (a test's own) joins the cluster through it.</summary>
    public int RedisPort { get; private set; }

    public static async Task<LoopbackCluster> StartAsync(string folder, int storageSilos, IReadOnlyDictionary<string, string?> ingestion)
    {
        var cluster = new LoopbackCluster();
        try
        {
            var redis = await LoopbackService.StartRedisServerAsync();
            cluster.owned.Add(redis);
            cluster.RedisPort = redis.Port;
            var azurite = await LoopbackService.StartAzuriteBlobAsync();
            cluster.owned.Add(azurite);
            var storage = await TestStorage.CreateAsync(StorageKind.Postgres, Path.Combine(folder, "data"));
            cluster.owned.Add(storage);
            var common = Common(redis);
            var blobs = new Dictionary<string, string?> { ["Blobs:Kind"] = "Azure", ["Blobs:AzureConnectionString"] = azurite.ConnectionString };
            await cluster.StartStorageSilosAsync(folder, storageSilos, common, storage);
            int hostPort = Loopback.FreePort();
            cluster.GpuHost = await cluster.Own(ApiProcess.StartSiloAsync("gpu-host", "GpuHost.dll", ["silo"], Merge(common, blobs, ingestion, new Dictionary<string, string?>
            {
                ["Silo:Name"] = "gpu-host-1", ["Silo:SiloPort"] = hostPort.ToString(), ["Silo:DataFolder"] = Path.Combine(folder, "gpu-host"),
            }), hostPort, StartTimeout));
            cluster.Api = await cluster.Own(ApiProcess.StartAsync("cluster-api", Merge(common, blobs, new Dictionary<string, string?>
            {
                ["Demo:Enabled"] = "false", ["Silo:DataFolder"] = Path.Combine(folder, "api"),
            }), StartTimeout));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Redis and <paramref name="storageSilos"/> storage silos alone (no azurite, GPU host or API), for a client of the
    /// caller's own joined through <see cref="RedisPort"/>. <paramref name="kind"/>: PostgreSQL (one schema, as deployed)
    /// or SQLite (a database per silo in its data folder: enough while no grain moves between silos).
    /// </summary>
    public static async Task<LoopbackCluster> StartStorageAsync(string folder, int storageSilos, StorageKind kind)
    {
        var cluster = new LoopbackCluster();
        try
        {
            var redis = await LoopbackService.StartRedisServerAsync();
            cluster.owned.Add(redis);
            cluster.RedisPort = redis.Port;
            var storage = await TestStorage.CreateAsync(kind, Path.Combine(folder, "data"));
            cluster.owned.Add(storage);
            await cluster.StartStorageSilosAsync(folder, storageSilos, Common(redis), storage);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>What every process of the cluster is told (as deploy/cluster/cluster.sh does): Redis membership, the Orleans
    /// Dashboard, failure detection tuned for loopback.</summary>
    static Dictionary<string, string?> Common(LoopbackService redis) => new()
    {
        ["Cluster:Membership"] = "Redis", ["Cluster:Redis"] = $"127.0.0.1:{redis.Port}",
        ["Cluster:ProbeTimeout"] = "00:00:01", ["Cluster:NumMissedProbesLimit"] = "2", ["Cluster:NumVotesForDeathDeclaration"] = "1",
        ["Cluster:Dashboard"] = "true", ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Actors"] = "Information",
    };

    async Task StartStorageSilosAsync(string folder, int count, Dictionary<string, string?> common, TestStorage storage)
    {
        for (int i = 1; i <= count; i++)
        {
            int siloPort = Loopback.FreePort(), gatewayPort = Loopback.FreePort();
            var settings = Merge(common, storage.Settings, new Dictionary<string, string?>
            {
                ["Silo:Name"] = $"storage-{i}", ["Silo:SiloPort"] = siloPort.ToString(), ["Silo:GatewayPort"] = gatewayPort.ToString(),
                ["Silo:DataFolder"] = Path.Combine(folder, $"storage-{i}"),
            });
            StorageSilos.Add(await Own(ApiProcess.StartSiloAsync($"storage-{i}", "Silo.dll", [], settings, gatewayPort, StartTimeout)));
        }
    }

    async Task<ApiProcess> Own(Task<ApiProcess> starting)
    {
        var process = await starting;
        owned.Add(process);
        return process;
    }

    static Dictionary<string, string?> Merge(params IReadOnlyDictionary<string, string?>[] parts)
    {
        var all = new Dictionary<string, string?>();
        foreach (var part in parts) foreach (var (k, v) in part) all[k] = v;
        return all;
    }

    /// <summary>The last lines of every process, for a failure message.</summary>
    public string Logs => string.Join("\n", StorageSilos.Append(GpuHost).Append(Api).Where(p => p is not null)
        .Select(p => $"--- {p.Name} ---\n{Tail(p.Log)}"));

    static string Tail(string log) => log.Length <= 3000 ? log : log[^3000..];

    public async ValueTask DisposeAsync()
    {
        // Processes first (clients before servers), then the services they used.
        for (int i = owned.Count - 1; i >= 0; i--) await owned[i].DisposeAsync();
    }
}
