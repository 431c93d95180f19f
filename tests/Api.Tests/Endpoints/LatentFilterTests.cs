using Actors.Api.Endpoints;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.Api.Tests.Endpoints;

/// <summary>The latent list's filters (seed 000 Sec. 4.2a, Eq. 7, App. C.2) over hand-made summaries whose answers are known.</summary>
public sealed class LatentFilterTests
{
    // Every class image had its relevance computed (an ingestion whose vocabulary holds both classes).
    static readonly IngestTotals Totals = new() { Tokens = 1000, Images = 40, ClassImages = { ["cat"] = 10, ["dog"] = 30 }, RelevanceImages = { ["cat"] = 10, ["dog"] = 30 } };

    static Dictionary<string, Moments> Relevance(string label, params double[] perImage) => new() { [label] = Moments.Of(perImage) };

    static LatentSummary Summary(int latent, double? alignment, double referenceActivation = 1, Dictionary<string, Moments>? relevance = null) =>
        new(latent, 10, 5, 1, 2, 0, null, alignment is null ? null : "label", alignment, null, referenceActivation, relevance);

    static LatentFilter Filter(double? minActivation = null, double? maxAlignment = null, string? cls = null, double? minRelevance = null) =>
        new(null, null, null, null, minActivation, maxAlignment, cls, minRelevance);

    [Fact]
    public void AClassesMeanRelevanceCountsItsImagesWhereTheLatentDidNotFireAsZeroAsTheLatentViewDoes()
    {
        var state = new LatentState();
        foreach (var r in new[] { 2.0, 4.0 }) { state.Sketch.Relevance.Add("cat", r); state.Sketch.Classes.Add("cat", 1.0); }
        var summary = LatentSummary.Of(3, state);
        Assert.Equal(0.6, summary.MeanRelevance("cat", 10)!.Value, 12);   // (2 + 4) / 10 images of the class
        Assert.Equal(ClassRelevance.From("cat", state.Sketch.Classes, state.Sketch.Relevance, 10, 10).MeanRelevance, summary.MeanRelevance("cat", 10)!.Value, 12);
        Assert.Equal(0, summary.MeanRelevance("dog", 30));   // never fired on a dog
        Assert.Null(LatentSummary.Of(4, new LatentState()).MeanRelevance("cat", 10));   // no relevance collected
    }

    [Fact]
    public void HiddenConceptsAreTheLatentsRelevantToTheClassYetPoorlyAlignedWithAnyLabel()
    {
        LatentSummary[] summaries =
        [
            Summary(1, alignment: 0.01, relevance: Relevance("cat", 3, 3)),      // μ = 0.6 ≥ 0.5, s = 0.01 ≤ 0.05: hidden
            Summary(2, alignment: 0.20, relevance: Relevance("cat", 3, 3)),      // relevant but well aligned
            Summary(3, alignment: 0.01, relevance: Relevance("cat", 1)),         // μ = 0.1: not relevant
            Summary(4, alignment: null, relevance: Relevance("cat", 3, 3)),      // not labelled: its alignment is unknown
            Summary(5, alignment: 0.01, relevance: Relevance("dog", 30)),        // relevant to dogs, μ = 0 for cats
        ];
        var hidden = Filter(maxAlignment: 0.05, cls: "cat", minRelevance: 0.5).Apply(summaries, Totals).ToList();
        Assert.Equal([1], hidden.Select(i => i.Latent));
        Assert.Equal(0.6, hidden[0].ClassRelevance!.Value, 12);
    }

    [Fact]
    public void HighActivationLowAlignmentKeepsTheLatentsAboveTheActivationAndBelowTheAlignmentThreshold()
    {
        LatentSummary[] summaries =
        [
            Summary(1, alignment: 0.02, referenceActivation: 3.5),   // kept
            Summary(2, alignment: 0.02, referenceActivation: 2.9),   // too weak
            Summary(3, alignment: 0.09, referenceActivation: 4.0),   // well aligned
            Summary(4, alignment: 0.05, referenceActivation: 3.0),   // on both thresholds: kept
            Summary(5, alignment: null, referenceActivation: 9.0),   // not labelled
        ];
        var kept = Filter(minActivation: 3.0, maxAlignment: 0.05).Apply(summaries, Totals).Select(i => i.Latent);
        Assert.Equal([1, 4], kept);
    }

    [Fact]
    public void SortingByAlignmentPutsUnlabelledLatentsLastInEitherDirection()
    {
        LatentSummary[] summaries = [Summary(1, 0.3), Summary(2, null), Summary(3, 0.1), Summary(4, 0.2)];
        var items = Filter().Apply(summaries, Totals).ToList();
        Assert.Equal([3, 4, 1, 2], LatentFilter.Sort(items, "alignment", descending: false).Select(i => i.Latent));
        Assert.Equal([1, 4, 3, 2], LatentFilter.Sort(items, "alignment", descending: true).Select(i => i.Latent));
    }

    [Theory]
    [InlineData("relevance", null, null, "class")]
    [InlineData("frequency", null, 0.5, "class")]
    [InlineData("frequency", "bird", null, "class")]
    [InlineData("colour", null, null, "sort")]
    public void AQueryTheTotalsCannotAnswerNamesItsField(string sort, string? cls, double? minRelevance, string field) =>
        Assert.Equal(field, Filter(cls: cls, minRelevance: minRelevance).Check(sort, Totals)!.Value.Field);
}
