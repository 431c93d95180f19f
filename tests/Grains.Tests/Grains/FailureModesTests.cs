using Actors.GpuHost.Jobs.Evaluations;
using Actors.Grains.Evaluations;
using Actors.Grains.Latents;
using Actors.Grains.Tests.Cluster;

namespace Actors.Grains.Tests.Grains;

/// <summary>A failure detection published as the job publishes it: stored per class, shown on each flagged latent, durable.</summary>
public sealed class FailureModesTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    GrainCluster Cluster => shared.Cluster;

    static ClassFailureModes Run(string saeId, string jobId, params int[] flagged) => new(saeId, "duck", "spurious", "train", jobId,
        200, 0.31, 0.04, 0.25, 400, [new HighConfidenceImage("bird/1", "bird", 0.3)],
        [.. flagged.Select(l => new FailureModeLatent(l, [new FailureSample("bird/1", "bird", 0.3, 0.02, 4.5), new FailureSample("bird/2", "bird", 0.28, 0.03, null)],
            0.001, 0.004, 12))],
        [], [new HiddenConcept(7, 0.02, -0.01)], new FailureDetectionThresholds(1.5, 3, 10, 0.01, 0), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task APublishedRunIsStoredPerClassShownOnEachFlaggedLatentAndSurvivesDeactivation()
    {
        string sae = $"sae-{Guid.NewGuid():N}";
        await FailureModesPublisher.PublishAsync(Cluster.Grains, Run(sae, "job-1", 3, 5));
        await Cluster.DeactivateAllAsync();

        var stored = await Cluster.Grains.GetGrain<IFailureModesGrain>(IFailureModesGrain.KeyOf(sae, "duck")).GetAsync();
        Assert.Equal([3, 5], stored!.Flagged.Select(f => f.Latent));
        Assert.Null(stored.Flagged[0].Samples[1].ZScore);
        var mode = Assert.Single((await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 3)).GetAsync()).FailureModes!);
        Assert.Equal(("duck", "spurious", "job-1", 2, 4.5), (mode.ClassLabel, mode.CorpusId, mode.JobId, mode.Samples, mode.MaxZScore!.Value));
        Assert.Equal(["bird/2", "bird/1"], mode.ExampleImages);   // an infinite z (σ̂ = 0) is the most unexpected
        Assert.Empty((await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 4)).GetAsync()).FailureModes!);
    }

    [Fact]
    public async Task ALaterRunForTheClassClearsTheFlagOfALatentItNoLongerFlags()
    {
        string sae = $"sae-{Guid.NewGuid():N}";
        await FailureModesPublisher.PublishAsync(Cluster.Grains, Run(sae, "job-1", 3, 5));
        await FailureModesPublisher.PublishAsync(Cluster.Grains, Run(sae, "job-2", 5));
        Assert.Empty((await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 3)).GetAsync()).FailureModes!);
        var five = Assert.Single((await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 5)).GetAsync()).FailureModes!);
        Assert.Equal("job-2", five.JobId);
    }
}
