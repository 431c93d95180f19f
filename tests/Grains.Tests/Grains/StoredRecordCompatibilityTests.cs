using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Sae;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;

namespace Actors.Grains.Tests.Grains;

/// <summary>
/// Registry records as storage held them before a field was added (the same field ids, without the new one) read as
/// the current types, the new field at its "unknown" value: Orleans skips absent ids, and the product gives that
/// value the old meaning.
/// </summary>
public class StoredRecordCompatibilityTests
{
    static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    /// <summary>HookSpec as stored before it kept the hook's name.</summary>
    [GenerateSerializer]
    public sealed record HookSpecBeforeNames([property: Id(0)] int Layer, [property: Id(1)] string Tokens);

    /// <summary>ModelRecord as stored before it kept the stated MLP activation.</summary>
    [GenerateSerializer]
    public sealed record ModelRecordBeforeActivations([property: Id(0)] string Path, [property: Id(1)] int VisionLayers, [property: Id(2)] int VisionWidth,
        [property: Id(3)] int TokensPerImage, [property: Id(4)] int ImageSize, [property: Id(5)] int PatchSize, [property: Id(6)] int ProjectionDim);

    static TNew Reread<TOld, TNew>(TOld stored) => Serializer.Deserialize<TNew>(Serializer.SerializeToArray(stored))!;

    [Fact]
    public void AHookStoredWithoutANameIsTheResidualStreamAfterItsBlock()
    {
        var hook = Reread<HookSpecBeforeNames, HookSpec>(new HookSpecBeforeNames(3, "cls"));
        Assert.Equal(new HookSpec(3, "cls"), hook);
        var sae = IngestionJob.HookOf(new SaeRecord("m", hook, 64, "topk", "w"));
        Assert.Equal((HookSite.ResidualPost, 3, TokenSelection.Cls), (sae.Site, sae.Layer, sae.Tokens));
        var embedding = IngestionJob.HookOf(new SaeRecord("m", new HookSpec(-1, "cls", HookSpec.ImageEmbeds), 64, "topk", "w"));
        Assert.Equal(SaeHookSpec.ImageEmbeds, embedding);
    }

    [Fact]
    public void AModelStoredWithoutAStatedActivationLoadsWithWhatItsFolderSays()
    {
        var model = Reread<ModelRecordBeforeActivations, ModelRecord>(new ModelRecordBeforeActivations("/models/vit", 12, 768, 50, 224, 32, 512));
        Assert.Equal(new ModelRecord("/models/vit", 12, 768, 50, 224, 32, 512), model);
        Assert.Null(model.Activation);   // ModelCatalog.Load(record): ClipActivationResolver decides from the folder
    }
}
