using System.Text.Json;
using Actors.Api.Tests.Fixtures;
using Actors.Blobs;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs;
using Actors.Grains.Blobs;
using Actors.Grains.Jobs;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Grains.Tests.Cluster;
using Actors.Tensors.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Grains.Tests.Jobs;

/// <summary>
/// Ingestion as a job, run by GPU hosts' job runners that are clients of a 2-silo cluster, as a GPU-host silo's runner
/// is: a job whose host stopped mid-run is claimed by another host once its lease has lapsed and continues past the
/// batches the corpus's ledger recorded; a cancelled job stops, the corpus says cancelled, and started again it
/// continues the same way. Either ends with exactly the statistics of an uninterrupted ingestion of the same files
/// through the same weights (a second SAE and corpus id), nothing lost and nothing counted twice.
/// </summary>
public sealed class IngestionJobTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>, IDisposable
{
    const int BatchSize = 2;
    static readonly JobOptions Fast = new() { LeaseSeconds = 1, HeartbeatSeconds = 0.1, ScanSeconds = 0.2 };
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    readonly TestWorld world = TestWorld.Create(imagesPerClass: 120, withBadFiles: true);   // 362 files, 181 batches
    readonly string blobFolder = Directory.CreateTempSubdirectory("ingestion-job-blobs-").FullName;
    IGrainFactory Grains => shared.Cluster.Grains;
    int Files => world.GoodImages.Count + 2;
    int Batches => (Files + BatchSize - 1) / BatchSize;

    public void Dispose()
    {
        world.Dispose();
        Directory.Delete(blobFolder, recursive: true);
    }

    /// <summary>A GPU host: the ingestion handler (2-image batches, a checkpoint every 2) under a job runner of its own.</summary>
    sealed class Host(JobRunner runner, ServiceProvider services) : IAsyncDisposable
    {
        public JobRunner Runner => runner;
        public async ValueTask DisposeAsync()
        {
            await runner.StopAsync(CancellationToken.None);
            await services.DisposeAsync();
        }
    }

    async Task<Host> StartHostAsync()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BatchSize"] = BatchSize.ToString(), ["CheckpointEveryBatches"] = "2", ["ThumbnailSize"] = "24",
        }).Build();
        var blobs = new FolderBlobStore(blobFolder);
        var services = new ServiceCollection().AddLogging().AddSingleton(Grains).AddSingleton<IBlobStore>(blobs)
            .AddSingleton(((IClusterClient)Grains).ServiceProvider.GetRequiredService<Orleans.GrainReferences.GrainReferenceActivator>())
            .AddIngestion(settings).BuildServiceProvider();
        var runner = new JobRunner(Grains, services.GetServices<IJobHandler>(), blobs, Fast, NullLogger<JobRunner>.Instance);
        await runner.StartAsync(CancellationToken.None);
        return new Host(runner, services);
    }

    /// <summary>The test world's model, an SAE over it and the corpus, under ids of this test's own.</summary>
    async Task<(string Sae, string Corpus)> RegisterAsync(string name)
    {
        string model = $"tiny-{name}", sae = $"sae-{name}", corpus = $"shapes-{name}";
        await Grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelCatalog(new CpuBackend()).Inspect(world.ModelFolder));
        await Grains.GetGrain<ISaeGrain>(sae).RegisterAsync(new SaeRecord(model, new HookSpec(TestWorld.Layer, "all"), TestWorld.DSae, "topk", world.SaeFolder));
        await Grains.GetGrain<ICorpusGrain>(corpus).RegisterAsync(new CorpusSource("folder", world.CorpusFolder));
        return (sae, corpus);
    }

    async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        T value;
        while (!done(value = await read()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: {value}");
            await Task.Delay(2);
        }
        return value;
    }

    Task<JobView> EndedAsync(string jobId) => WaitForAsync(async () => (await Grains.GetGrain<IJobGrain>(jobId).GetAsync())!,
        v => v.Status.IsEnded(), $"job {jobId}");

    /// <summary>Waits until a few checkpoints are recorded and most of the corpus is still ahead.</summary>
    async Task WhenMidRunAsync(string corpus)
    {
        var view = await WaitForAsync(() => Grains.GetGrain<ICorpusGrain>(corpus).GetAsync(),
            v => v.BatchesApplied >= 4 || v.Status != CorpusStatus.Ingesting, $"corpus {corpus}");
        Assert.True(view.Status == CorpusStatus.Ingesting && view.BatchesApplied < Batches - 8,
            $"{view.Status} with {view.BatchesApplied} of {Batches} batches at the first look past 4: the interruption would not land mid-run");
    }

    /// <summary>Ingests the same files through the same weights under other ids, uninterrupted, and compares what a researcher reads.</summary>
    async Task AssertEqualsAnUninterruptedRunAsync(Host host, string sae, string corpus)
    {
        var (referenceSae, referenceCorpus) = await RegisterAsync($"reference-{Guid.NewGuid():N}");
        var start = await Grains.GetGrain<ICorpusGrain>(referenceCorpus).StartIngestionAsync(referenceSae, null);
        host.Runner.Wake(start.View.JobId!);
        Assert.Equal(JobStatus.Succeeded, (await EndedAsync(start.View.JobId!)).Status);

        var (want, got) = (await Grains.GetGrain<ICorpusGrain>(referenceCorpus).GetAsync(), await Grains.GetGrain<ICorpusGrain>(corpus).GetAsync());
        Assert.Equal((CorpusStatus.Completed, (long)Files, (long)Files, (long)Batches), (got.Status, got.ImagesTotal, got.ImagesDone, got.BatchesApplied));
        Assert.Equal(want.FailedFiles.OrderBy(f => f.Path, StringComparer.Ordinal), got.FailedFiles.OrderBy(f => f.Path, StringComparer.Ordinal));
        var (wantTotals, gotTotals) = (await Grains.GetGrain<ISaeGrain>(referenceSae).GetTotalsAsync(), await Grains.GetGrain<ISaeGrain>(sae).GetTotalsAsync());
        Assert.Equal(((long)world.GoodImages.Count, (long)world.GoodImages.Count * world.TokensPerImage), (gotTotals.Images, gotTotals.Tokens));
        Assert.Equal((wantTotals.Images, wantTotals.Tokens), (gotTotals.Images, gotTotals.Tokens));
        int firing = 0;
        for (int j = 0; j < TestWorld.DSae; j++)
        {
            var e = await Grains.GetGrain<ILatentGrain>(LatentKey.Of(referenceSae, j)).GetAsync();
            var a = await Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, j)).GetAsync();
            string what = $"latent {j}";
            Assert.Equal((e.FiringTokens, e.FiringImages), (a.FiringTokens, a.FiringImages));
            SketchAssert.Close(e.MeanActivation, a.MeanActivation, $"{what} mean", 1e-9);
            SketchAssert.Close(e.ActivationVariance, a.ActivationVariance, $"{what} variance", 1e-9);
            SketchAssert.Close(e.MaxActivation ?? 0, a.MaxActivation ?? 0, $"{what} max", 1e-9);
            Assert.Equal(e.Histogram, a.Histogram);
            Assert.Equal(e.References.Select(r => (r.Image.ImageId, Math.Round(r.Activation, 9))), a.References.Select(r => (r.Image.ImageId, Math.Round(r.Activation, 9))));
            Assert.Equal(e.Labels.Keys.Order(StringComparer.Ordinal), a.Labels.Keys.Order(StringComparer.Ordinal));
            foreach (var (label, mass) in e.Labels)
            {
                Assert.Equal(mass.Images, a.Labels[label].Images);
                SketchAssert.Close(mass.Activation, a.Labels[label].Activation, $"{what} label {label}", 1e-9);
            }
            if (e.FiringTokens > 0) firing++;
        }
        Assert.True(firing > 5, $"only {firing} latents fired; the comparison would prove little");
    }

    static IngestionResult ResultOf(JobView job) =>
        JsonSerializer.Deserialize<IngestionResult>(job.Result!, JsonSerializerOptions.Web)!;

    [Fact]
    public async Task AJobClaimedAgainAfterItsHostsLeaseLapsedResumesPastTheRecordedBatches()
    {
        var (sae, corpus) = await RegisterAsync($"lease-{Guid.NewGuid():N}");
        string jobId;
        long recorded;
        var first = await StartHostAsync();
        await using (first)
        {
            jobId = (await Grains.GetGrain<ICorpusGrain>(corpus).StartIngestionAsync(sae, null)).View.JobId!;
            first.Runner.Wake(jobId);
            await WhenMidRunAsync(corpus);
        }   // the host stops: its job is left running under a lease that runs out (as when a host dies)
        var left = (await Grains.GetGrain<IJobGrain>(jobId).GetAsync())!;
        Assert.Equal((JobStatus.Running, first.Runner.HostId, 1), (left.Status, left.Host, left.Attempts));
        var stopped = await Grains.GetGrain<ICorpusGrain>(corpus).GetAsync();
        Assert.Equal(CorpusStatus.Ingesting, stopped.Status);
        recorded = stopped.BatchesApplied;

        await using var second = await StartHostAsync();   // never woken: its scan finds the job once the lease lapsed
        var ended = await EndedAsync(jobId);
        Assert.Equal((JobStatus.Succeeded, 2, second.Runner.HostId), (ended.Status, ended.Attempts, ended.Host));
        var result = ResultOf(ended);
        Assert.Equal((recorded, (long)Batches, (long)Files, (long)Files), (result.BatchesRecordedBefore, result.Batches, result.ImagesDone, result.ImagesTotal));
        Assert.Equal(((long)Files, (long)Files, "completed"), (ended.Progress.Done, ended.Progress.Total, ended.Progress.Stage));
        await AssertEqualsAnUninterruptedRunAsync(second, sae, corpus);
    }

    [Fact]
    public async Task CorpusCallsThatFailInTransitAreRetriedAndTheRunEndsAsAnUninterruptedOne()
    {
        // What a host sees while the corpus's silo fails over: each call to the corpus fails in transit at first.
        var (sae, corpus) = await RegisterAsync($"transit-{Guid.NewGuid():N}");
        await using var host = await StartHostAsync();
        var grain = Grains.GetGrain<ICorpusGrain>(corpus);
        string[] methods = ["BeginAsync", "IsBatchCompleteAsync", "ReportProcessedAsync", "CompleteBatchesAsync", "FinishAsync"];
        foreach (var method in methods) InjectedFaults.FailNext(grain.GetGrainId(), method, 2);
        var start = await grain.StartIngestionAsync(sae, null);
        host.Runner.Wake(start.View.JobId!);
        var ended = await EndedAsync(start.View.JobId!);
        Assert.True(ended.Status == JobStatus.Succeeded, $"{ended.Status}: {ended.Error}");
        Assert.Equal(1, ended.Attempts);
        Assert.All(methods, m => Assert.Equal(0, InjectedFaults.Remaining(grain.GetGrainId(), m)));
        await AssertEqualsAnUninterruptedRunAsync(host, sae, corpus);
    }

    [Fact]
    public async Task ACancelledIngestionStopsAndStartedAgainEndsWithTheStatisticsOfAnUninterruptedRun()
    {
        var (sae, corpus) = await RegisterAsync($"cancel-{Guid.NewGuid():N}");
        await using var host = await StartHostAsync();
        var grain = Grains.GetGrain<ICorpusGrain>(corpus);
        string cancelledJob = (await grain.StartIngestionAsync(sae, null)).View.JobId!;
        host.Runner.Wake(cancelledJob);
        await WhenMidRunAsync(corpus);

        Assert.True((await Grains.GetGrain<IJobGrain>(cancelledJob).CancelAsync()).CancelRequested);
        var cancelled = await EndedAsync(cancelledJob);
        Assert.Equal((JobStatus.Cancelled, 1), (cancelled.Status, cancelled.Attempts));
        var stopped = await grain.GetAsync();
        Assert.Equal((CorpusStatus.Cancelled, cancelledJob), (stopped.Status, stopped.JobId));
        Assert.True(stopped.BatchesApplied < Batches, $"{stopped.BatchesApplied} of {Batches} batches: the cancel did not stop it");
        await Task.Delay(500);
        Assert.Equal(stopped.BatchesApplied, (await grain.GetAsync()).BatchesApplied);   // nothing runs on

        var restart = await grain.StartIngestionAsync(sae, null);
        Assert.True(restart.Started, restart.Refusal);
        host.Runner.Wake(restart.View.JobId!);
        var ended = await EndedAsync(restart.View.JobId!);
        Assert.Equal(JobStatus.Succeeded, ended.Status);
        Assert.Equal(stopped.BatchesApplied, ResultOf(ended).BatchesRecordedBefore);
        await AssertEqualsAnUninterruptedRunAsync(host, sae, corpus);
    }
}
