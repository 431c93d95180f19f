using System.Text.Json;
using Actors.Grains.Concepts;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;

using Actors.Grains.Hosts;
using Actors.Grains.Tests.Cluster;

namespace Actors.Grains.Tests.Grains;

/// <summary>Registry, SAE, corpus and concept grains on a 2-silo Orleans TestCluster; each test uses keys of its own.</summary>
public class RegistryGrainTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    GrainCluster Cluster => shared.Cluster;
    static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task SaeTotalsCountEachBatchOnceAndSurviveReactivation()
    {
        string id = Unique("world-sae");
        var sae = Cluster.Grains.GetGrain<ISaeGrain>(id);
        await sae.RegisterAsync(new SaeRecord("world-clip", new HookSpec(3, "all"), 256, "topk", "models/world-sae"));
        var t = new IngestTotals { Tokens = 50, Images = 2, ClassImages = { ["duck"] = 2 } };
        Assert.True(await sae.MergeTotalsAsync("c", 0, 1, -1, t));
        Assert.False(await sae.MergeTotalsAsync("c", 0, 1, -1, t));
        Assert.True(await sae.MergeTotalsAsync("c", 1, 1, -1, t));
        await Cluster.DeactivateAllAsync();
        var view = await Cluster.Grains.GetGrain<ISaeGrain>(id).GetAsync();
        Assert.Equal(100, view.Totals.Tokens);
        Assert.Equal(4, view.Totals.ImagesOf("duck"));
        Assert.Equal(["c"], view.Corpora);
        Assert.Equal(256, view.Record!.DSae);
        await Assert.ThrowsAsync<ArgumentException>(() => sae.RegisterAsync(view.Record with { DSae = 0 }));
    }

    [Fact]
    public async Task CorpusRecordsProgressFailuresAndACheckpointForResume()
    {
        string id = Unique("world-train");
        var corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        await Assert.ThrowsAsync<InvalidOperationException>(() => corpus.StartIngestionAsync("sae", null));
        await Assert.ThrowsAsync<ArgumentException>(() => corpus.RegisterAsync(new CorpusSource("ftp", "x")));
        await corpus.RegisterAsync(new CorpusSource("folder", "/data/world"));
        Assert.True((await corpus.StartIngestionAsync("sae", "world")).Started);
        await corpus.BeginAsync(10);
        Assert.True(await corpus.CompleteBatchAsync(0, 4, [], new IngestionStages(1, 2, 3, 0.5, 0.5)));
        Assert.True(await corpus.CompleteBatchAsync(2, 3, [new FailedFile("bad.jpg", "not a JPEG")], new IngestionStages(0, 1, 1, 0, 0)));
        Assert.False(await corpus.CompleteBatchAsync(2, 3, [], new IngestionStages(10, 10, 10, 10, 10)));   // re-recorded: not counted
        await Cluster.DeactivateAllAsync();
        corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        var v = await corpus.GetAsync();
        Assert.Equal((7L, 2L, 0L, CorpusStatus.Ingesting), (v.ImagesDone, v.BatchesApplied, v.DurableThrough, v.Status));
        Assert.Equal("not a JPEG", v.FailedFiles.Single().Reason);
        Assert.Equal(new IngestionStages(1, 3, 4, 0.5, 0.5), v.Stages);
        Assert.Equal(7 / 9.0, v.ImagesPerSecond, 12);
        Assert.Equal("load wait 11 %, forward 33 %, SAE encode 44 %, sketch 6 %, deliver 6 %", v.Stages.Shares());
        Assert.True(await corpus.IsBatchCompleteAsync(2));
        Assert.False(await corpus.IsBatchCompleteAsync(1));
        await corpus.ReportProcessedAsync(3, 5);   // live position: ahead of the 2 checkpointed batches
        Assert.Equal((3L, 5L, 2L), ((await corpus.GetAsync()).BatchesProcessed, (await corpus.GetAsync()).BatchesTotal, (await corpus.GetAsync()).BatchesApplied));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => corpus.ReportProcessedAsync(6, 5));
        await corpus.CompleteBatchAsync(1, 3, [], IngestionStages.None);
        await corpus.FinishAsync();
        v = await corpus.GetAsync();
        Assert.Equal((2L, CorpusStatus.Completed), (v.DurableThrough, v.Status));
        await Cluster.DeactivateAllAsync();   // the live position is not stored: a new activation shows the applied batches
        v = await Cluster.Grains.GetGrain<ICorpusGrain>(id).GetAsync();
        Assert.Equal((3L, 0L), (v.BatchesProcessed, v.BatchesTotal));
    }

    [Fact]
    public async Task ACheckpointsBatchesAreRecordedTogetherAndOnlyTheNewOnesCount()
    {
        string id = Unique("checkpointed");
        var corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        await corpus.RegisterAsync(new CorpusSource("folder", "/data/world"));
        Assert.True((await corpus.StartIngestionAsync("sae", null)).Started);
        var stages = new IngestionStages(1, 1, 1, 1, 1, 2);
        Assert.Equal(2, await corpus.CompleteBatchesAsync([new(0, 4, [], stages), new(1, 3, [new FailedFile("x.png", "truncated")], stages)]));
        // A checkpoint re-recorded after a crash and retried in transit: only the batch not recorded before counts.
        Assert.Equal(1, await corpus.CompleteBatchesAsync([new(1, 3, [], stages), new(2, 5, [], stages)]));
        await Cluster.DeactivateAllAsync();
        var v = await Cluster.Grains.GetGrain<ICorpusGrain>(id).GetAsync();
        Assert.Equal((12L, 3L, 2L), (v.ImagesDone, v.BatchesApplied, v.DurableThrough));
        Assert.Equal("x.png", v.FailedFiles.Single().Path);
        Assert.Equal(new IngestionStages(3, 3, 3, 3, 3, 6), v.Stages);
        Assert.Equal("load wait 14 %, forward 14 %, SAE encode 14 %, relevance 29 %, sketch 14 %, deliver 14 %", v.Stages.Shares());
    }

    [Fact]
    public async Task RegistryListsIdsPerKindInOrderWithoutDuplicates()
    {
        string id = Unique("registry");
        var reg = Cluster.Grains.GetGrain<IRegistryGrain>(id);
        Assert.True(await reg.AddAsync(RegistryKind.Sae, "b"));
        Assert.True(await reg.AddAsync(RegistryKind.Sae, "a"));
        Assert.False(await reg.AddAsync(RegistryKind.Sae, "a"));
        Assert.True(await reg.AddAsync(RegistryKind.Vocabulary, "world"));
        await Cluster.DeactivateAllAsync();
        reg = Cluster.Grains.GetGrain<IRegistryGrain>(id);
        Assert.Equal(["a", "b"], await reg.ListAsync(RegistryKind.Sae));
        Assert.Empty(await reg.ListAsync(RegistryKind.Model));
        Assert.True(await reg.RemoveAsync(RegistryKind.Sae, "a"));
        Assert.Equal(["b"], await reg.ListAsync(RegistryKind.Sae));
    }

    [Fact]
    public async Task ConceptAccumulatesClassActivationsOncePerBatch()
    {
        string vocabulary = Unique("world");
        var concept = Cluster.Grains.GetGrain<IConceptGrain>($"{vocabulary}/duck");
        await concept.RegisterAsync("a photo of a duck", [0.1f, 0.2f]);
        await concept.SetAlignedLatentsAsync([new("sae", 3, 0.1), new("sae", 7, 0.4)]);
        var a = new ClassActivations(); a.Add(3, 5, 2); a.Add(7, 1, 1);
        Assert.True(await concept.MergeClassActivationsAsync("sae", "c", 0, 1, a));
        Assert.False(await concept.MergeClassActivationsAsync("sae", "c", 0, 1, a));
        Assert.True(await concept.MergeClassActivationsAsync("sae", "c", 1, 1, a));
        await Cluster.DeactivateAllAsync();
        var v = await Cluster.Grains.GetGrain<IConceptGrain>($"{vocabulary}/duck").GetAsync();
        Assert.Equal((vocabulary, "duck", "a photo of a duck"), (v.Vocabulary, v.Concept, v.Text));
        Assert.Equal(new LatentClassActivation(10, 4), v.ClassActivations["sae"].Latents[3]);
        Assert.Equal([(3, 10.0), (7, 2.0)], v.ClassActivations["sae"].Top(2));
        Assert.Equal(7, v.AlignedLatents[0].Latent);
        await Assert.ThrowsAsync<ArgumentException>(() => concept.RegisterAsync("x", [float.NaN]));
    }

    [Fact]
    public async Task OfConcurrentStartsOfOneCorpusExactlyOneIsAcceptedAndSubmitsOneIngestionJob()
    {
        string id = Unique("corpus");
        var corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        await corpus.RegisterAsync(new CorpusSource("folder", "/data/world"));
        var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => corpus.StartIngestionAsync("sae", null)));
        var accepted = Assert.Single(starts, s => s.Started);
        Assert.Equal(CorpusStatus.Ingesting, accepted.View.Status);
        string jobId = Assert.IsType<string>(accepted.View.JobId);
        Assert.All(starts.Where(s => !s.Started), s => Assert.Contains($"already being ingested (through SAE 'sae', job '{jobId}')", s.Refusal));

        // No GPU host runs in this cluster: the job stays queued, listed for the hosts' scan.
        var job = (await Cluster.Grains.GetGrain<IJobGrain>(jobId).GetAsync())!;
        Assert.Equal((IngestionRequest.JobKind, id, JobStatus.Queued), (job.Kind, job.Subject, job.Status));
        Assert.Equal(new IngestionRequest(id, "sae"), JsonSerializer.Deserialize<IngestionRequest>(job.Parameters, JsonSerializerOptions.Web));
        var listed = await Cluster.Grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListUnendedAsync();
        Assert.Equal([jobId], listed.Where(j => j.Subject == id).Select(j => j.JobId));
        await Cluster.DeactivateAllAsync();
        Assert.Equal((CorpusStatus.Ingesting, jobId), ((await corpus.GetAsync()).Status, (await corpus.GetAsync()).JobId));
    }

    [Fact]
    public async Task AnIngestingCorpusFollowsItsJobsEndAndCanBeStartedAgain()
    {
        string id = Unique("corpus");
        var corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        await corpus.RegisterAsync(new CorpusSource("folder", "/data/world"));
        string first = (await corpus.StartIngestionAsync("sae", "world")).View.JobId!;

        // Cancelled while queued: no host ever ran it, and the corpus says cancelled at its next read.
        Assert.Equal(JobStatus.Cancelled, (await Cluster.Grains.GetGrain<IJobGrain>(first).CancelAsync()).Status);
        Assert.Equal((CorpusStatus.Cancelled, null, first), ((await corpus.GetAsync()).Status, (await corpus.GetAsync()).Error, (await corpus.GetAsync()).JobId));

        var second = await corpus.StartIngestionAsync("sae", "world");
        Assert.True(second.Started);
        Assert.NotEqual(first, second.View.JobId);
        var job = Cluster.Grains.GetGrain<IJobGrain>(second.View.JobId!);
        Assert.True((await job.ClaimAsync("host", TimeSpan.FromMinutes(5))).Granted);
        Assert.False((await corpus.StartIngestionAsync("sae", "world")).Started);   // running: refused
        await job.FailAsync("host", "model 'm' is not registered");
        await Cluster.DeactivateAllAsync();
        var failed = await Cluster.Grains.GetGrain<ICorpusGrain>(id).GetAsync();
        Assert.Equal((CorpusStatus.Failed, "model 'm' is not registered"), (failed.Status, failed.Error));
        Assert.True((await corpus.StartIngestionAsync("sae", "world")).Started);
    }

    [Fact]
    public async Task ACorpusLeftIngestingWithoutAJobIsStartedAgain()
    {
        // As an ingestion that ran before ingestion was a job left it: ingesting, naming no job.
        string id = Unique("corpus");
        var corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        await corpus.RegisterAsync(new CorpusSource("folder", "/data/world"));
        await corpus.BeginAsync(10);
        Assert.Equal((CorpusStatus.Ingesting, null), ((await corpus.GetAsync()).Status, (await corpus.GetAsync()).JobId));
        var start = await corpus.StartIngestionAsync("sae", null);
        Assert.True(start.Started, start.Refusal);
        Assert.NotNull(start.View.JobId);
    }

    [Fact]
    public async Task ACorpusHoldingBatchesOfOneSaeRefusesAnotherSae()
    {
        string id = Unique("corpus");
        var corpus = Cluster.Grains.GetGrain<ICorpusGrain>(id);
        await corpus.RegisterAsync(new CorpusSource("folder", "/data/world"));
        Assert.True((await corpus.StartIngestionAsync("sae-a", null)).Started);
        await corpus.CompleteBatchAsync(0, 4, [], IngestionStages.None);
        await corpus.FinishAsync();
        var refused = await corpus.StartIngestionAsync("sae-b", null);
        Assert.False(refused.Started);
        Assert.Contains("'sae-a'", refused.Refusal);
        Assert.True((await corpus.StartIngestionAsync("sae-a", null)).Started);   // resuming through the same SAE is fine
    }
}
