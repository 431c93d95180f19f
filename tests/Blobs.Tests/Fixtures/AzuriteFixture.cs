using Actors.Testing;

namespace Actors.Blobs.Tests.Fixtures;

/// <summary>One azurite-blob process per test class that uses it; each test takes its own container.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public LoopbackService Azurite { get; private set; } = null!;
    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => Azurite = await LoopbackService.StartAzuriteBlobAsync();
    public async Task DisposeAsync()
    {
        if (Azurite is not null) await Azurite.DisposeAsync();
    }
}
