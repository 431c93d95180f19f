using Actors.Grains.Jobs;
using Actors.Grains.Tests.Cluster;

namespace Actors.Grains.Tests.Jobs;

/// <summary>The job grain's lease protocol on a 2-silo cluster: who may run a job, when, and what survives.</summary>
public sealed class JobGrainTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    IGrainFactory Grains => shared.Cluster.Grains;

    IJobGrain NewJob(out string id)
    {
        id = $"test-{Guid.NewGuid():N}";
        return Grains.GetGrain<IJobGrain>(id);
    }

    [Fact]
    public async Task ASubmittedJobIsQueuedListedAndGrantedToExactlyOneHost()
    {
        var job = NewJob(out string id);
        var view = await job.SubmitAsync(new JobSpec("probe", "{\"x\":1}", "sae-a"));
        Assert.Equal((JobStatus.Queued, "probe", "sae-a", 0), (view.Status, view.Kind, view.Subject, view.Attempts));
        Assert.Contains(await Grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListUnendedAsync(), j => j.JobId == id);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(h => job.ClaimAsync($"host-{h}", Long)));
        var granted = Assert.Single(claims, c => c.Granted);
        Assert.Equal((1, "{\"x\":1}"), (granted.Attempt, granted.Spec!.Parameters));
        Assert.All(claims.Where(c => !c.Granted), c => Assert.Contains("is running on host-", c.Refusal));
    }

    [Fact]
    public async Task HeartbeatsStoreProgressAndTheEndIsListed()
    {
        var job = NewJob(out string id);
        await job.SubmitAsync(new JobSpec("probe", "{}"));
        Assert.True((await job.ClaimAsync("h", Long)).Granted);
        Assert.True(await job.HeartbeatAsync("h", new JobProgress(3, 10, "curves", new Dictionary<string, double> { ["auc"] = 0.25 }), Long));
        Assert.False(await job.HeartbeatAsync("other", JobProgress.None, Long));

        var running = (await job.GetAsync())!;
        Assert.Equal((3L, 10L, "curves", 0.25), (running.Progress.Done, running.Progress.Total, running.Progress.Stage, running.Progress.Metrics["auc"]));
        await job.SucceedAsync("h", "{\"auc\":0.25}", null);
        var done = (await job.GetAsync())!;
        Assert.Equal((JobStatus.Succeeded, "{\"auc\":0.25}"), (done.Status, done.Result));
        Assert.NotNull(done.EndedAt);
        Assert.Contains(await Grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListAsync("probe", JobStatus.Succeeded), j => j.JobId == id);
        Assert.DoesNotContain(await Grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListUnendedAsync(), j => j.JobId == id);
    }

    [Fact]
    public async Task AJobWhoseLeaseRanOutIsResumedByAnotherHostAndTheFirstHostsEndIsIgnored()
    {
        var job = NewJob(out _);
        await job.SubmitAsync(new JobSpec("probe", "{}"));
        Assert.True((await job.ClaimAsync("dead-host", TimeSpan.FromMilliseconds(300))).Granted);
        Assert.False((await job.ClaimAsync("next-host", Long)).Granted);
        await Task.Delay(400);

        var resumed = await job.ClaimAsync("next-host", Long);
        Assert.Equal((true, 2), (resumed.Granted, resumed.Attempt));
        await job.SucceedAsync("dead-host", "{\"stale\":true}", null);
        await job.FailAsync("dead-host", "stale");
        Assert.Equal((JobStatus.Running, "next-host"), ((await job.GetAsync())!.Status, (await job.GetAsync())!.Host));
        await job.SucceedAsync("next-host", "{}", null);
        Assert.Equal(JobStatus.Succeeded, (await job.GetAsync())!.Status);
    }

    [Fact]
    public async Task CancellingAQueuedJobEndsItAndCancellingARunningOneStopsItsHostAtTheNextHeartbeat()
    {
        var queued = NewJob(out _);
        await queued.SubmitAsync(new JobSpec("probe", "{}"));
        Assert.Equal(JobStatus.Cancelled, (await queued.CancelAsync()).Status);
        Assert.False((await queued.ClaimAsync("h", Long)).Granted);

        var running = NewJob(out _);
        await running.SubmitAsync(new JobSpec("probe", "{}"));
        await running.ClaimAsync("h", Long);
        var asked = await running.CancelAsync();
        Assert.Equal((JobStatus.Running, true), (asked.Status, asked.CancelRequested));
        Assert.False(await running.HeartbeatAsync("h", JobProgress.None, Long));
        await running.AcknowledgeCancelAsync("h");
        Assert.Equal(JobStatus.Cancelled, (await running.GetAsync())!.Status);
        Assert.Equal(JobStatus.Cancelled, (await running.CancelAsync()).Status);   // ended: no effect
    }

    [Fact]
    public async Task AJobSurvivesDeactivationWithItsLeaseAndProgress()
    {
        var job = NewJob(out string id);
        await job.SubmitAsync(new JobSpec("probe", "{\"n\":5}", "corpus-x"));
        await job.ClaimAsync("h", Long);
        await job.HeartbeatAsync("h", new JobProgress(4, 5, "steps", new Dictionary<string, double>()), Long);
        await shared.Cluster.DeactivateAllAsync();

        var back = (await Grains.GetGrain<IJobGrain>(id).GetAsync())!;
        Assert.Equal((JobStatus.Running, "h", 1, 4L, "{\"n\":5}", "corpus-x"),
            (back.Status, back.Host, back.Attempts, back.Progress.Done, back.Parameters, back.Subject));
        Assert.False((await Grains.GetGrain<IJobGrain>(id).ClaimAsync("other", Long)).Granted);
    }

    [Fact]
    public async Task AnUnknownJobReadsAsNullAndCannotBeClaimedOrCancelled()
    {
        var job = NewJob(out string id);
        Assert.Null(await job.GetAsync());
        Assert.Contains("never submitted", (await job.ClaimAsync("h", Long)).Refusal);
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => job.CancelAsync());
        Assert.Contains(id, e.Message);
    }
}
