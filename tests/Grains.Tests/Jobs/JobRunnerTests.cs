using Actors.Blobs;
using Actors.GpuHost.Jobs;
using Actors.Grains.Jobs;
using Actors.Grains.Tests.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Grains.Tests.Jobs;

/// <summary>
/// A host's job runner against a 2-silo cluster, as a GPU host process runs it (a client of the grains): jobs are
/// claimed, report progress, end with their result, plot or error, stop when cancelled, and a job a dead host held is
/// resumed once its lease runs out.
/// </summary>
public sealed class JobRunnerTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>, IDisposable
{
    static readonly JobOptions Fast = new() { LeaseSeconds = 1, HeartbeatSeconds = 0.1, ScanSeconds = 0.2 };
    readonly string blobFolder = Directory.CreateTempSubdirectory("job-blobs-").FullName;
    IGrainFactory Grains => shared.Cluster.Grains;

    public void Dispose() => Directory.Delete(blobFolder, recursive: true);

    /// <summary>Reports progress in steps, then answers with its parameters and a one-byte "plot".</summary>
    sealed class CountingHandler(string kind) : IJobHandler
    {
        public string Kind => kind;
        public int LastAttempt;
        public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            LastAttempt = context.Attempt;
            var p = context.Parameters<Steps>();
            for (int i = 1; i <= p.Count; i++)
            {
                await Task.Delay(20, ct);
                context.Report(i, p.Count, "counting", new Dictionary<string, double> { ["i"] = i });
            }
            return new JobOutcome(JobContext.ToJson(new { counted = p.Count }), [1, 2, 3]);
        }
    }

    sealed record Steps(int Count);

    sealed class FailingHandler : IJobHandler
    {
        public string Kind => "fails";
        public Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct) =>
            throw new InvalidOperationException("corpus 'c' has no labels");
    }

    /// <summary>Its first attempt meets a dead silo (what a grain call gets then); the next one succeeds.</summary>
    sealed class SiloDiesOnceHandler : IJobHandler
    {
        public string Kind => "silo-dies-once";
        public Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct) => context.Attempt == 1
            ? throw new Orleans.Runtime.SiloUnavailableException("the target silo became unavailable")
            : Task.FromResult(new JobOutcome("{\"attempt\":" + context.Attempt + "}"));
    }

    sealed class WaitingHandler : IJobHandler
    {
        public string Kind => "waits";
        public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new JobOutcome("{}");
        }
    }

    /// <summary>A kind with a job slot of its own, as ingestion has; counts like <see cref="CountingHandler"/>.</summary>
    sealed class OwnSlotHandler(string kind) : IJobHandler
    {
        readonly CountingHandler counting = new(kind);
        public string Kind => kind;
        public int OwnSlots => 1;
        public Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct) => counting.RunAsync(context, ct);
    }

    async Task<(JobRunner Runner, CancellationTokenSource Stop)> StartRunnerAsync(params IJobHandler[] handlers)
    {
        var runner = new JobRunner(Grains, handlers, new FolderBlobStore(blobFolder), Fast, NullLogger<JobRunner>.Instance);
        var stop = new CancellationTokenSource();
        await runner.StartAsync(stop.Token);
        return (runner, stop);
    }

    async Task<JobView> WaitForAsync(string id, Func<JobView, bool> done)
    {
        for (int i = 0; i < 200; i++)
        {
            var view = await Grains.GetGrain<IJobGrain>(id).GetAsync();
            if (view is not null && done(view)) return view;
            await Task.Delay(50);
        }
        throw new TimeoutException($"job {id}: {await Grains.GetGrain<IJobGrain>(id).GetAsync()}");
    }

    static string NewId() => $"runner-{Guid.NewGuid():N}";

    [Fact]
    public async Task AWokenJobRunsReportsProgressAndStoresItsResultAndPlot()
    {
        var counting = new CountingHandler($"count-{Guid.NewGuid():N}");
        var (runner, stop) = await StartRunnerAsync(counting);
        string id = NewId();
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(new JobSpec(counting.Kind, "{\"count\":5}"));
        runner.Wake(id);

        var view = await WaitForAsync(id, v => v.Status.IsEnded());
        await runner.StopAsync(CancellationToken.None);
        Assert.Equal((JobStatus.Succeeded, "{\"counted\":5}", 1), (view.Status, view.Result, view.Attempts));
        Assert.Equal((5L, 5L, "counting"), (view.Progress.Done, view.Progress.Total, view.Progress.Stage));
        Assert.Equal([1, 2, 3], await new FolderBlobStore(blobFolder).GetAsync(view.PlotHash!));
        Assert.StartsWith(Environment.MachineName, view.Host);
        stop.Dispose();
    }

    [Fact]
    public async Task AFailingHandlerFailsItsJobWithTheReasonAndTheRunnerGoesOn()
    {
        var counting = new CountingHandler($"count-{Guid.NewGuid():N}");
        var (runner, stop) = await StartRunnerAsync(new FailingHandler(), counting);
        string failing = NewId(), next = NewId();
        await Grains.GetGrain<IJobGrain>(failing).SubmitAsync(new JobSpec("fails", "{}"));
        await Grains.GetGrain<IJobGrain>(next).SubmitAsync(new JobSpec(counting.Kind, "{\"count\":1}"));
        runner.Wake(failing);
        runner.Wake(next);

        var failed = await WaitForAsync(failing, v => v.Status.IsEnded());
        Assert.Equal((JobStatus.Failed, "corpus 'c' has no labels"), (failed.Status, failed.Error));
        Assert.Equal(JobStatus.Succeeded, (await WaitForAsync(next, v => v.Status.IsEnded())).Status);
        await runner.StopAsync(CancellationToken.None);
        stop.Dispose();
    }

    [Fact]
    public async Task AnAttemptStoppedByADeadSiloIsClaimedAgainInsteadOfFailingTheJob()
    {
        var (runner, stop) = await StartRunnerAsync(new SiloDiesOnceHandler());
        string id = NewId();
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(new JobSpec("silo-dies-once", "{}"));
        runner.Wake(id);

        var view = await WaitForAsync(id, v => v.Status.IsEnded());
        await runner.StopAsync(CancellationToken.None);
        Assert.Equal((JobStatus.Succeeded, 2, "{\"attempt\":2}"), (view.Status, view.Attempts, view.Result));
        stop.Dispose();
    }

    [Fact]
    public async Task ACancelledRunningJobIsStoppedByItsHostAndEndsCancelled()
    {
        var (runner, stop) = await StartRunnerAsync(new WaitingHandler());
        string id = NewId();
        var job = Grains.GetGrain<IJobGrain>(id);
        await job.SubmitAsync(new JobSpec("waits", "{}"));
        runner.Wake(id);
        await WaitForAsync(id, v => v.Status == JobStatus.Running);

        await job.CancelAsync();
        var view = await WaitForAsync(id, v => v.Status.IsEnded());
        Assert.Equal(JobStatus.Cancelled, view.Status);
        await runner.StopAsync(CancellationToken.None);
        stop.Dispose();
    }

    [Fact]
    public async Task AJobADeadHostHeldIsFoundByTheScanAndResumedWhenItsLeaseRunsOut()
    {
        var counting = new CountingHandler($"count-{Guid.NewGuid():N}");
        string id = NewId();
        var job = Grains.GetGrain<IJobGrain>(id);
        await job.SubmitAsync(new JobSpec(counting.Kind, "{\"count\":2}"));
        Assert.True((await job.ClaimAsync("host-that-died", TimeSpan.FromSeconds(1))).Granted);

        var (runner, stop) = await StartRunnerAsync(counting);   // never woken: the scan finds it
        var view = await WaitForAsync(id, v => v.Status.IsEnded());
        Assert.Equal((JobStatus.Succeeded, 2, 2), (view.Status, view.Attempts, counting.LastAttempt));
        await runner.StopAsync(CancellationToken.None);
        stop.Dispose();
    }

    [Fact]
    public async Task AKindWithASlotOfItsOwnRunsWhileTheSharedSlotIsTaken()
    {
        var own = new OwnSlotHandler($"own-{Guid.NewGuid():N}");
        var (runner, stop) = await StartRunnerAsync(new WaitingHandler(), own);   // one shared slot (MaxConcurrentJobs 1)
        string waiting = NewId(), owned = NewId();
        await Grains.GetGrain<IJobGrain>(waiting).SubmitAsync(new JobSpec("waits", "{}"));
        runner.Wake(waiting);
        await WaitForAsync(waiting, v => v.Status == JobStatus.Running);

        await Grains.GetGrain<IJobGrain>(owned).SubmitAsync(new JobSpec(own.Kind, "{\"count\":2}"));
        runner.Wake(owned);
        Assert.Equal(JobStatus.Succeeded, (await WaitForAsync(owned, v => v.Status.IsEnded())).Status);
        Assert.Equal(JobStatus.Running, (await Grains.GetGrain<IJobGrain>(waiting).GetAsync())!.Status);
        await Grains.GetGrain<IJobGrain>(waiting).CancelAsync();
        Assert.Equal(JobStatus.Cancelled, (await WaitForAsync(waiting, v => v.Status.IsEnded())).Status);
        await runner.StopAsync(CancellationToken.None);
        stop.Dispose();
    }

    [Fact]
    public async Task AJobOfAKindThisHostHasNoHandlerForStaysQueuedForAnotherHost()
    {
        var (runner, stop) = await StartRunnerAsync(new FailingHandler());
        string id = NewId();
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(new JobSpec($"elsewhere-{Guid.NewGuid():N}", "{}"));
        runner.Wake(id);
        await Task.Delay(500);
        Assert.Equal((JobStatus.Queued, 0), ((await Grains.GetGrain<IJobGrain>(id).GetAsync())!.Status, (await Grains.GetGrain<IJobGrain>(id).GetAsync())!.Attempts));
        await runner.StopAsync(CancellationToken.None);
        stop.Dispose();
    }
}
