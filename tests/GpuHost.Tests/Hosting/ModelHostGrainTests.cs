using System.Collections.Concurrent;
using System.Security.Cryptography;
using Actors.GpuHost.Hosting;
using Actors.Grains.Blobs;
using Actors.Grains.Hosts;
using Actors.Grains.Sketches;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Actors.GpuHost.Tests.Hosting;

/// <summary>
/// The model host grain called through a cluster's client, so every argument, result and exception crosses Orleans's
/// serializer as it does between the API and a host silo: a caller's bad artifact must arrive as the contract's
/// <see cref="InvalidArtifactException"/>, naming the argument and the problem.
/// </summary>
public sealed class ModelHostGrainTests(ModelHostCluster cluster) : IClassFixture<ModelHostCluster>
{
    IModelHostGrain Host => cluster.Cluster.Client.GetGrain<IModelHostGrain>(IModelHostGrain.Key);

    [Fact]
    public async Task BadArtifactsArriveAsTheContractExceptionNamingTheArgumentAndTheProblem()
    {
        string empty = cluster.NewFolder();
        var model = await Assert.ThrowsAsync<InvalidArtifactException>(() => Host.InspectModelAsync(empty));
        Assert.Equal("path", model.Field);
        Assert.Contains($"no model weights (model.safetensors", model.Message);
        Assert.Contains(empty, model.Message);

        var sae = await Assert.ThrowsAsync<InvalidArtifactException>(() => Host.InspectSaeAsync(empty, null, null));
        Assert.Equal("path", sae.Field);
        Assert.Contains($"missing {SaeLensFolder.ConfigFile}", sae.Message);

        var release = await Assert.ThrowsAsync<InvalidArtifactException>(() => Host.InspectSaeAsync(Path.Combine(empty, "sae.pt"), "sae-lens-9", 8));
        Assert.Equal("release", release.Field);
        Assert.Contains("release 'sae-lens-9' is not one of vit-prisma, patchsae, attributing-clip", release.Message);

        string missing = Path.Combine(empty, "gone");
        var embed = await Assert.ThrowsAsync<InvalidArtifactException>(() => Host.EmbedConceptsAsync(missing, ["red"]));
        Assert.Equal("modelPath", embed.Field);
        Assert.Contains($"no CLIP model folder or weights file at {missing}", embed.Message);

        var activation = await Assert.ThrowsAsync<InvalidArtifactException>(() => Host.InspectModelAsync(empty, "swish"));
        Assert.Equal("activation", activation.Field);
        Assert.Contains("'swish'", activation.Message);
    }

    [Fact]
    public async Task AModelAndAnSaeAreDescribedAndConceptsEmbeddedAsUnitRows()
    {
        string modelFolder = cluster.NewFolder(), saeFolder = cluster.NewFolder();
        var config = RandomClipModel.Preset("tiny");
        RandomClipModel.Write(modelFolder, config, seed: 5);
        SaeLensFolder.Write(saeFolder, SparseAutoencoder.CreateRandom(new TopKSaeConfig(config.Vision.HiddenSize, 64, 4), 6));

        var model = await Host.InspectModelAsync(modelFolder);
        Assert.Equal((Path.GetFullPath(modelFolder), config.Vision.Layers, config.Vision.HiddenSize, config.Vision.Tokens),
            (model.Path, model.VisionLayers, model.VisionWidth, model.TokensPerImage));
        var sae = await Host.InspectSaeAsync(saeFolder, null, null);
        Assert.Equal((Path.GetFullPath(saeFolder), config.Vision.HiddenSize, 64, "topk"), (sae.WeightsPath, sae.DIn, sae.DSae, sae.Architecture));

        var embeddings = await Host.EmbedConceptsAsync(model.Path, ["red", "green square"]);
        Assert.Equal(2, embeddings.Length);
        Assert.All(embeddings, e =>
        {
            Assert.Equal(config.ProjectionDim, e.Length);
            Assert.Equal(1.0, Math.Sqrt(e.Sum(x => (double)x * x)), 5);
        });
        Assert.NotEqual(embeddings[0], embeddings[1]);
    }

    [Fact]
    public async Task AnAttributionRequestTheHostCannotUseArrivesAsTheContractExceptionNamingTheField()
    {
        var image = new AttributionImage(null, null, [1, 2, 3]);
        var method = await Assert.ThrowsAsync<RejectedRequestException>(() =>
            Host.AttributeAsync(new ImageAttributionRequest("sae", image, "a prompt", null, ["grad-cam"], 5)));
        Assert.Equal(("methods", false), (method.Field, method.NotFound));
        Assert.Contains("'grad-cam' is not one of act-grad", method.Message);
        var top = await Assert.ThrowsAsync<RejectedRequestException>(() => Host.AttributeAsync(new ImageAttributionRequest("sae", image, "a", null, [], 0)));
        Assert.Equal("top", top.Field);
        var prompt = await Assert.ThrowsAsync<RejectedRequestException>(() => Host.AttributeAsync(new ImageAttributionRequest("sae", image, null, null, [], 3)));
        Assert.Equal("prompt", prompt.Field);
    }

    [Fact]
    public async Task TheOverlayIsTheStoredThumbnailWithItsHeatmapDrawnAndNullWithoutTheThumbnail()
    {
        var thumbnail = RgbImage.Blank(20, 16);
        string hash = await cluster.Blobs.PutAsync(ImageCodec.EncodePng(thumbnail));
        var reference = new ReferenceImage(new ImageRef("corpus", "a.png", hash), 1.5, null, 2, [0f, 1f, 2f, 3f]);

        var png = await Host.DrawOverlayAsync(reference);
        var drawn = ImageCodec.Decode(Assert.IsType<byte[]>(png), "overlay");
        Assert.Equal((thumbnail.Width, thumbnail.Height), (drawn.Width, drawn.Height));
        Assert.NotEqual(thumbnail.Pixels, drawn.Pixels);

        var gone = reference with { Image = new ImageRef("corpus", "b.png", new string('0', 64)) };
        Assert.Null(await Host.DrawOverlayAsync(gone));
    }
}

/// <summary>One in-process silo with the model host's services (<see cref="ModelHostServiceCollectionExtensions.AddModelHost"/>) and an in-memory blob store.</summary>
public sealed class ModelHostCluster : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"model-host-{Guid.NewGuid():N}");

    public TestCluster Cluster { get; private set; } = null!;
    /// <summary>The silo's blob store (the silo runs in this process).</summary>
    public IBlobStore Blobs => ((InProcessSiloHandle)Cluster.Primary!).ServiceProvider.GetRequiredService<IBlobStore>();

    public string NewFolder()
    {
        string path = Path.Combine(folder, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddModelHost();
            silo.Services.AddSingleton<IBlobStore, MemoryBlobStore>();
        }
    }

    sealed class MemoryBlobStore : IBlobStore
    {
        readonly ConcurrentDictionary<string, byte[]> blobs = new(StringComparer.Ordinal);

        public Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
            blobs.TryAdd(hash, content.ToArray());
            return Task.FromResult(hash);
        }

        public async Task<string[]> PutManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default) =>
            await Task.WhenAll(contents.Select(c => PutAsync(c, cancellationToken)));

        public Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) =>
            Task.FromResult(blobs.TryGetValue(hash, out var bytes) ? bytes : null);

        public Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(blobs.ContainsKey(hash));
    }
}
