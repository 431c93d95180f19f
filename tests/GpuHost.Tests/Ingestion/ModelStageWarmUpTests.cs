using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Tensors.Backends;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>
/// The warm-up runs beside an ingestion's own first batches: it must not disturb them (its own vision tower; the SAE's
/// encode is safe from two threads), and a model it cannot run is the first batch's error to report, not its.
/// </summary>
public sealed class ModelStageWarmUpTests : IDisposable
{
    readonly TinyClipFolder folder = new(seed: 5);
    readonly LoadedModel model;
    readonly SaeHookSpec hook = new(1, TokenSelection.All, "resid_post.1");

    public ModelStageWarmUpTests() => model = new ModelCatalog(new CpuBackend()).Load(folder.Path);

    int Width => model.Model.Config.Vision.HiddenSize;

    [Fact]
    public async Task ForwardsAndEncodesBesideItAreUnchanged()
    {
        var sae = SparseAutoencoder.CreateRandom(new TopKSaeConfig(Width, 256, 8), seed: 2);
        int images = 6, size = model.Model.Config.Vision.ImageSize, rowsPerImage = hook.RowsPerSequence(model.Model.Config.Vision.Tokens);
        var rng = new Random(9);
        var pixels = Enumerable.Range(0, images * 3 * size * size).Select(_ => (float)rng.NextDouble() * 2 - 1).ToArray();
        SparseActivations Batch() => sae.Encode(hook.Read(model.Model.Vision, pixels, images), images * rowsPerImage);
        var alone = Batch();

        for (int round = 0; round < 20; round++)
        {
            var warmUp = ModelStageWarmUp.Start(model, sae, hook, NullLogger.Instance);
            var beside = Batch();   // the catalog's tower, as the ingestion runs it
            Assert.Null(await warmUp);
            Assert.Equal(alone.RowStart, beside.RowStart);
            Assert.Equal(alone.Indices, beside.Indices);
            Assert.Equal(alone.Values, beside.Values);
        }
    }

    [Fact]
    public async Task AnSaeTheModelCannotFeedFailsTheWarmUpQuietly()
    {
        var wrongWidth = SparseAutoencoder.CreateRandom(new TopKSaeConfig(Width + 1, 64, 4), seed: 3);
        var error = await ModelStageWarmUp.Start(model, wrongWidth, hook, NullLogger.Instance);
        Assert.NotNull(error);
    }

    public void Dispose() => folder.Dispose();
}
