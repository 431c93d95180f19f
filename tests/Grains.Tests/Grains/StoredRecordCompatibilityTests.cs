using Actors.GpuHost.Ingestion;
using Actors.Grains.Investigations;
using Actors.Grains.Registry;
using Actors.Sae;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;

namespace Actors.Grains.Tests.Grains;

/// <summary>
/// Registry and investigation records as storage held them before a field was added (the same field ids, without the new one) read as
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

    /// <summary>InvestigationNote as stored before notes could be carried from an ancestor latent.</summary>
    [GenerateSerializer]
    public sealed record InvestigationNoteBeforeCarrying([property: Id(0)] string NoteId, [property: Id(1)] string AuthorId, [property: Id(2)] string AuthorName,
        [property: Id(3)] string Markdown, [property: Id(4)] string Html, [property: Id(5)] DateTimeOffset CreatedAt);

    /// <summary>InvestigationSummary as stored before it kept the SAEs of the listed latents.</summary>
    [GenerateSerializer]
    public sealed record InvestigationSummaryBeforeSaes([property: Id(0)] string InvestigationId, [property: Id(1)] string Title, [property: Id(2)] string[] MemberIds);

    /// <summary>TopReferences as stored before its entries were packed into bytes.</summary>
    [GenerateSerializer]
    public readonly struct TopReferencesBeforePacking
    {
        [Id(0)] public required int Capacity { get; init; }
        [Id(1)] public required Actors.Grains.Sketches.ReferenceImage[] Items { get; init; }
    }

    /// <summary>LogHistogram as stored before its counts were packed.</summary>
    [GenerateSerializer]
    public readonly struct LogHistogramBeforePacking
    {
        [Id(0)] public required long[] Counts { get; init; }
    }

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

    [Fact]
    public void ANoteStoredBeforeCarryingIsTheMembersOwnAndASummaryWithoutSaesIsUnknown()
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var note = Reread<InvestigationNoteBeforeCarrying, InvestigationNote>(new InvestigationNoteBeforeCarrying("n-1", "u-1", "Ada", "**w**", "<p>w</p>", at));
        Assert.Equal(new InvestigationNote("n-1", "u-1", "Ada", "**w**", "<p>w</p>", at), note);
        Assert.Null(note.CarriedFrom);
        // Unknown, not "none": the index lists such an investigation for every SAE, so a retraining visits it.
        var summary = Reread<InvestigationSummaryBeforeSaes, InvestigationSummary>(new InvestigationSummaryBeforeSaes("inv-1", "t", ["u-1"]));
        Assert.Equal(("inv-1", "t"), (summary.InvestigationId, summary.Title));
        Assert.Equal(["u-1"], summary.MemberIds);
        Assert.Null(summary.LatentSaeIds);
    }

    [Fact]
    public void ReferencesAndHistogramsStoredAsObjectsReadAsTheyWere()
    {
        var g = new SketchGen(4);
        var references = g.References(capacity: 6);
        while (references.Items.Count < 3) references.Add(g.Reference());
        var old = Reread<TopReferencesBeforePacking, Actors.Grains.Sketches.TopReferences>(new() { Capacity = 6, Items = [.. references.Items] });
        Assert.Equal(6, old.Capacity);
        SketchAssert.Equal(references, old);
        Assert.Equal(references.Items.Select(r => r.Heatmap), old.Items.Select(r => r.Heatmap));

        var histogram = g.Histogram();
        Assert.Equal(histogram.Counts, Reread<LogHistogramBeforePacking, Actors.Grains.Sketches.LogHistogram>(new() { Counts = histogram.Counts }).Counts);
    }
}
