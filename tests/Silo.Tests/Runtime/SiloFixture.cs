using Actors.Silo.Hosting;
using Actors.Silo.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Silo.Tests.Runtime;

/// <summary>A silo with the test grains over SQLite in a fresh temp folder; more silos can share its file.</summary>
public sealed class SiloFixture : IAsyncDisposable
{
    readonly List<ServiceProvider> providers = [];

    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"silo-runtime-{Guid.NewGuid():N}");

    public SiloRuntime Start(Action<SiloOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<LifecycleLog>();
        services.AddSilo(o =>
        {
            o.DataFolder = DataFolder;
            o.AddGrain<ICounterGrain, CounterGrain>("counter");
            o.AddGrain<ILedgerGrain, LedgerGrain>("ledger");
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<SiloRuntime>();
    }

    public LifecycleLog LogOf(SiloRuntime silo) => silo.Services.GetRequiredService<LifecycleLog>();

    public async ValueTask DisposeAsync()
    {
        foreach (var p in providers) await p.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataFolder)) Directory.Delete(DataFolder, recursive: true);
    }
}

/// <summary>Tests that share one silo started before each test and disposed after it.</summary>
public abstract class StartedSiloTests : Xunit.IAsyncLifetime
{
    protected readonly SiloFixture fixture = new();
    protected SiloRuntime silo = null!;

    public Task InitializeAsync() { silo = fixture.Start(); return Task.CompletedTask; }
    public async Task DisposeAsync() => await fixture.DisposeAsync();
}
