using Actors.Silo.Hosting;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Benchmarks;

/// <summary>
/// A process-local Orleans silo as the embedded default runs it (localhost clustering on a free loopback port,
/// SQLite grain storage in a temporary folder), so a benchmark
/// measures calls through the runtime, its serializer and the storage — not grain objects called directly.
/// </summary>
public sealed class BenchSilo : IDisposable
{
    public IHost Host { get; }
    public string DataFolder { get; }
    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    BenchSilo(IHost host, string dataFolder) { Host = host; DataFolder = dataFolder; }

    public static BenchSilo Start(Action<IHostApplicationBuilder>? configure = null)
    {
        string data = Directory.CreateTempSubdirectory("bench-silo-").FullName;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Silo:DataFolder"] = data;
        builder.Configuration["Silo:SiloPort"] = Loopback.FreePort().ToString();
        builder.AddActorsSilo();
        configure?.Invoke(builder);
        var host = builder.Build();
        host.StartAsync().GetAwaiter().GetResult();
        return new BenchSilo(host, data);
    }

    public void Dispose()
    {
        Host.StopAsync().GetAwaiter().GetResult();
        Host.Dispose();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
