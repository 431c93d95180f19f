using Actors.GpuHost.Ingestion;
using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>The catalog keeps one model per files and stated activation: the same folder under another activation is another model.</summary>
public sealed class ModelCatalogTests : IDisposable
{
    readonly TinyClipFolder tiny = new(seed: 3);
    string Folder => tiny.Path;

    [Fact]
    public void AStatedActivationIsPartOfTheModelsIdentityAndItsRecord()
    {
        var catalog = new ModelCatalog(new CpuBackend());
        var asFolderSays = catalog.Load(Folder);
        var gelu = catalog.Load(Folder, "gelu");
        Assert.NotSame(asFolderSays, gelu);
        Assert.Same(asFolderSays, catalog.Load(Folder));
        Assert.Same(gelu, catalog.Load(Folder, "gelu"));
        Assert.Same(catalog.Load(Folder, "gelu_new"), catalog.Load(Folder, "gelu_pytorch_tanh"));   // two names, one activation
        Assert.Equal((ActivationKind.QuickGelu, ActivationKind.Gelu), (asFolderSays.Model.Config.Vision.Activation, gelu.Model.Config.Vision.Activation));
        Assert.Equal(ActivationKind.Gelu, gelu.Model.Config.Text.Activation);

        var record = catalog.Inspect(Folder, "gelu_new");
        Assert.Equal(("gelu_pytorch_tanh", "gelu_pytorch_tanh, stated by the caller"), (record.Activation, record.ActivationSource));
        Assert.Same(gelu, catalog.Load(catalog.Inspect(Folder, "gelu")));
    }

    [Fact]
    public void EachLoadedModelIsToldOnceToTheLoadedHook()
    {
        var told = new List<LoadedModel>();
        var catalog = new ModelCatalog(new CpuBackend(), m => { lock (told) told.Add(m); });
        var first = catalog.Load(Folder);
        Assert.Same(first, catalog.Load(Folder));
        var gelu = catalog.Load(Folder, "gelu");
        catalog.Inspect(Folder, "gelu");
        Assert.Equal([first, gelu], told);
    }

    public void Dispose() => tiny.Dispose();
}
