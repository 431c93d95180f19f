using Actors.GpuHost.Ingestion;
using Actors.Tensors.Backends;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>
/// A host warms a model up as soon as it has loaded, possibly while a job already runs it: the warm-up must not disturb
/// the catalog's own vision tower, and an error of its own is only its result, never thrown.
/// </summary>
public sealed class LoadedModelWarmUpTests : IDisposable
{
    readonly TinyClipFolder folder = new(seed: 7);
    readonly LoadedModel model;

    public LoadedModelWarmUpTests() => model = new ModelCatalog(new CpuBackend()).Load(folder.Path);

    [Fact]
    public async Task ItRunsAndForwardsBesideItAreUnchanged()
    {
        int images = 5, size = model.Model.Config.Vision.ImageSize;
        var rng = new Random(4);
        var pixels = Enumerable.Range(0, images * 3 * size * size).Select(_ => (float)rng.NextDouble() * 2 - 1).ToArray();
        float[] Forward() => model.Model.Vision.ResidualAfter(pixels, images, 1);
        var alone = Forward();
        for (int round = 0; round < 10; round++)
        {
            var warmUp = LoadedModelWarmUp.Start(model, thumbnailSize: 128, NullLogger.Instance);
            var beside = Forward();
            Assert.Null(await warmUp);
            Assert.Equal(alone, beside);
        }
    }

    [Fact]
    public async Task AFailureIsItsResultNotAnException()
    {
        var error = await LoadedModelWarmUp.Start(model, thumbnailSize: 0, NullLogger.Instance);
        Assert.NotNull(error);
    }

    public void Dispose() => folder.Dispose();
}
