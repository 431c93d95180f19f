using Actors.GpuHost.Ingestion;
using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>The catalog keeps one model per files and stated activation: the same folder under another activation is another model.</summary>
public sealed class ModelCatalogTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"model-catalog-{Guid.NewGuid():N}");

    public ModelCatalogTests() => RandomClipModel.Write(folder, RandomClipModel.Preset("tiny"), seed: 3);

    [Fact]
    public void AStatedActivationIsPartOfTheModelsIdentityAndItsRecord()
    {
        var catalog = new ModelCatalog(new CpuBackend());
        var asFolderSays = catalog.Load(folder);
        var gelu = catalog.Load(folder, "gelu");
        Assert.NotSame(asFolderSays, gelu);
        Assert.Same(asFolderSays, catalog.Load(folder));
        Assert.Same(gelu, catalog.Load(folder, "gelu"));
        Assert.Same(catalog.Load(folder, "gelu_new"), catalog.Load(folder, "gelu_pytorch_tanh"));   // two names, one activation
        Assert.Equal((ActivationKind.QuickGelu, ActivationKind.Gelu), (asFolderSays.Model.Config.Vision.Activation, gelu.Model.Config.Vision.Activation));
        Assert.Equal(ActivationKind.Gelu, gelu.Model.Config.Text.Activation);

        var record = catalog.Inspect(folder, "gelu_new");
        Assert.Equal(("gelu_pytorch_tanh", "gelu_pytorch_tanh, stated by the caller"), (record.Activation, record.ActivationSource));
        Assert.Same(gelu, catalog.Load(catalog.Inspect(folder, "gelu")));
    }

    [Fact]
    public void EachLoadedModelIsToldOnceToTheLoadedHook()
    {
        var told = new List<LoadedModel>();
        var catalog = new ModelCatalog(new CpuBackend(), m => { lock (told) told.Add(m); });
        var first = catalog.Load(folder);
        Assert.Same(first, catalog.Load(folder));
        var gelu = catalog.Load(folder, "gelu");
        catalog.Inspect(folder, "gelu");
        Assert.Equal([first, gelu], told);
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
