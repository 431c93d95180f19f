using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Silo.Storage;
using Orleans;

namespace Actors.Silo.Tests.Storage;

/// <summary>The samples the state codec warm-up round-trips: something in every member, bounded, surrogate types left alone.</summary>
public class SerializableSampleTests
{
    [Fact]
    public void AJobSampleHasItsSpecProgressAndTimes()
    {
        var job = Assert.IsType<JobState>(SerializableSample.Of(typeof(JobState)));
        Assert.Equal("sample", job.Spec?.Kind);
        Assert.Equal("sample", job.Spec?.Subject);
        Assert.Single(job.Progress.Metrics);
        Assert.Equal("sample", job.Result);
        Assert.NotNull(job.StartedAt);
        Assert.NotEqual(default, job.LeaseUntil);
        Assert.Equal(1, job.Attempts);
        Assert.True(job.CancelRequested);
    }

    [Fact]
    public void CorpusAndSaeSamplesHaveAnElementInEachCollection()
    {
        var corpus = Assert.IsType<CorpusState>(SerializableSample.Of(typeof(CorpusState)));
        Assert.Equal("sample", corpus.Source?.Path);
        Assert.Single(corpus.FailedFiles);
        Assert.Single(corpus.Completed.Above);
        Assert.NotSame(IngestionStages.None, corpus.Stages);

        var sae = Assert.IsType<SaeState>(SerializableSample.Of(typeof(SaeState)));
        Assert.Equal(1, sae.Record?.Hook.Layer);
        Assert.Single(sae.Corpora);
        Assert.Single(sae.Totals.ClassImages);
        Assert.Single(Assert.Single(sae.Ledger.Corpora).Value.Above);
    }

    [Fact]
    public void ATypeSerializedThroughASurrogateIsLeftAsItsConstructorMakesIt()
    {
        var histogram = Assert.IsType<LogHistogram>(SerializableSample.Of(typeof(LogHistogram)));
        Assert.Equal(0, histogram.Total);
        Assert.Empty(Assert.IsType<TopReferences>(SerializableSample.Of(typeof(TopReferences))).Items);
    }

    [GenerateSerializer]
    public sealed class Node
    {
        [Id(0)] public Node? Next { get; set; }
        [Id(1)] public List<Node> Children { get; init; } = [];
    }

    [Fact]
    public void ASelfReferentialTypeEndsAtTheDepthLimit()
    {
        var node = Assert.IsType<Node>(SerializableSample.Of(typeof(Node)));
        int depth = 0;
        for (var n = node; n is not null; n = n.Next) depth++;
        Assert.InRange(depth, 2, 6);
        Assert.Single(node.Children);
        TestSerializer.Instance.Deserialize<Node>(TestSerializer.Instance.SerializeToArray(node));
    }
}
