using Actors.Cluster;
using Actors.GpuHost.Analysis;
using Actors.GpuHost.Jobs.Labelling;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Registry;
using Orleans;
using Actors.Sae;
using Actors.Sae.Architectures;
using Microsoft.Extensions.Logging;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Ingests one corpus through one SAE: per batch, decode + preprocess → CLIP forward to the SAE's hook →
/// SAE encode (sparse) → [with a vocabulary holding the corpus's classes: each activation's Act×Grad relevance for
/// its image's class prompt, <see cref="ClassPromptRelevance"/>] → sketched straight into the checkpoint interval's
/// delivery group, one mergeable sketch per touched latent. Batch ids are positions in the corpus's fixed order. At each
/// checkpoint (every <see cref="IngestionOptions.CheckpointSeconds"/>, stretched so delivery stays a small share of the
/// time, or every <see cref="IngestionOptions.CheckpointEveryBatches"/> batches)
/// the group is delivered, each grain storing what it is given before it answers, and only then are its batches
/// recorded complete in the corpus grain; the next batches meanwhile go into a second group (<see cref="OverlappedDelivery"/>).
/// After a crash the run resumes past the recorded batches and re-sends the rest, which the grains' ledgers make
/// harmless (nothing lost, nothing counted twice). It runs as a job of kind
/// "ingestion" (<see cref="IngestionHandler"/>): a job claimed again after its host died, or started again after it was
/// cancelled, is a new run over the same ledger.
/// </summary>
public sealed class IngestionJob(IGrainFactory grains, LatentGrainReferences latentGrains, ModelCatalog models, SaeCatalog saes, ImageBatchLoader loader,
    IngestionOptions options, ILogger<IngestionJob> logger)
{
    /// <param name="report">Told the live position: after the corpus is read, and after each batch is sketched.</param>
    public async Task<IngestionResult> RunAsync(IngestionRequest request, CancellationToken ct, Action<IngestionProgress>? report = null)
    {
        report?.Invoke(new IngestionProgress("loading model", 0, 0, 0, 0));
        var corpus = grains.GetGrain<ICorpusGrain>(request.CorpusId);
        // Every call to the corpus is retried while its silo fails over (GrainRetry); each is idempotent.
        var corpusView = await GrainRetry.CallAsync(corpus.GetAsync, ct);
        var source = corpusView.Source ?? throw new InvalidOperationException($"corpus '{request.CorpusId}' is not registered");
        var target = await AnalysisTarget.LoadAsync(grains, models, saes, request.SaeId);
        var (model, sae, hook) = (target.Model, target.Autoencoder, target.Hook);
        _ = ModelStageWarmUp.Start(model, sae, hook, logger);   // compiles the forward and the encode beside the start-up below
        var items = CorpusReader.Read(source);
        await GrainRetry.CallAsync(() => corpus.BeginAsync(items.Count), ct);
        var (prompts, whyNone) = await VocabularyClassPrompts.LoadAsync(grains, request.VocabularyId, target, items.Select(i => i.Label));
        var classRelevance = prompts.Count > 0 ? new ClassPromptRelevance(model, sae, hook, prompts) : null;
        if (classRelevance is null && request.VocabularyId is not null)
            logger.LogWarning("corpus {Corpus}: no class relevance is computed: {Reason}", request.CorpusId, whyNone);

        int perImage = hook.RowsPerSequence(model.Model.Config.Vision.Tokens);
        var layout = new TokenLayout(perImage, hook.Tokens != TokenSelection.Patches);
        var sketcher = new BatchSketcher(sae.DSae, layout);
        int batches = (items.Count + options.BatchSize - 1) / options.BatchSize;
        long durableThrough = corpusView.DurableThrough;
        int done = 0;

        // Batches recorded by an earlier, interrupted run are skipped; the rest are processed in corpus order.
        var remaining = new List<long>(batches);
        for (long b = 0; b < batches; b++)
            if (await GrainRetry.CallAsync(() => corpus.IsBatchCompleteAsync(b), ct)) done++; else remaining.Add(b);
        int recordedBefore = done;
        long imagesDone = corpusView.ImagesDone;   // the recorded batches' images; those processed below are added
        await GrainRetry.CallAsync(() => corpus.ReportProcessedAsync(done, batches), ct);   // live progress for GET /api/corpora/{id}, per batch below
        report?.Invoke(new IngestionProgress("ingesting", imagesDone, items.Count, done, batches));

        Task<LoadedImages> Load(long b, CancellationToken token) => loader.LoadAsync(request.CorpusId,
            items.Skip((int)b * options.BatchSize).Take(options.BatchSize).ToArray(), model.Preprocessor, token);

        // Two stages, as a GPU host runs them: the model stage (forward + encode) goes on with the next batches while
        // the sketch stage sketches, merges and, at a checkpoint, starts a delivery that goes on beside both (a bounded
        // hand-over keeps at most ModelledAhead batches of activations in memory). The sketch stage alone touches the
        // groups and the ledger of pending batches, in corpus order, and deliveries run one at a time in that order, so
        // checkpoints and resume are as in a one-stage loop.
        var modelled = Channel.CreateBounded<ModelledBatch>(new BoundedChannelOptions(ModelledAhead)
        {
            SingleReader = true, SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sketching = Task.Run(() => SketchAndDeliverAsync(modelled.Reader, stop), CancellationToken.None);
        try
        {
            var clock = Stopwatch.StartNew();
            await foreach (var (b, loaded) in BatchPrefetch.InOrder(remaining, Load, stop.Token))
            {
                double loadWait = Lap(clock), forward = 0, encode = 0, attribute = 0;
                SaeBatch? batch = null;
                if (loaded.Count > 0)
                {
                    var hooked = classRelevance?.Read(loaded.Pixels, loaded.Count);
                    var rows = hooked?.Rows ?? hook.Read(model.Model.Vision, loaded.Pixels, loaded.Count);
                    forward = Lap(clock);
                    var activations = Positive(sae.Encode(rows, loaded.Count * perImage));
                    encode = Lap(clock);
                    float[]? relevances = null; bool[]? attributed = null;
                    if (classRelevance is not null)
                    {
                        (relevances, attributed) = classRelevance.Attribute(hooked!, activations, loaded.Labels);
                        attribute = Lap(clock);
                    }
                    batch = new SaeBatch(loaded.Images, loaded.Labels, activations.RowStart, activations.Indices, activations.Values,
                        relevances, attributed);
                }
                await modelled.Writer.WriteAsync(new ModelledBatch(b, loaded.Count + loaded.Failures.Length, loaded.Failures,
                    batch, loadWait, forward, encode, attribute), stop.Token);
                clock.Restart();   // the next lap is the wait for the next batch's images
            }
            modelled.Writer.Complete();
        }
        catch (Exception modelError)
        {
            modelled.Writer.TryComplete();
            stop.Cancel();
            Exception? sketchError = null;
            try { await sketching; } catch (Exception e) { sketchError = e; }
            // A failed sketch stage cancels the model stage: report the cause, not the cancellation it caused.
            if (modelError is OperationCanceledException && !ct.IsCancellationRequested && sketchError is not null and not OperationCanceledException)
                ExceptionDispatchInfo.Throw(sketchError);
            throw;
        }
        await sketching;

        async Task SketchAndDeliverAsync(ChannelReader<ModelledBatch> reader, CancellationTokenSource stopAll)
        {
            long lastCheckpoint = Stopwatch.GetTimestamp();
            double secondsPerLatent = options.DeliverySecondsPerLatent;   // the prior until this run has timed a delivery
            var turns = new OverlappedDelivery(() => new DeliveryGroup(request.SaeId, request.CorpusId, request.VocabularyId), async (group, pending) =>
            {
                long started = Stopwatch.GetTimestamp();
                int latents = group.TouchedLatents;
                durableThrough = await CheckpointAsync(corpus, group, pending, durableThrough, stopAll.Token);
                if (latents > 0) secondsPerLatent = Stopwatch.GetElapsedTime(started).TotalSeconds / latents;
            });
            try
            {
                await foreach (var m in reader.ReadAllAsync(stopAll.Token))
                {
                    await turns.ThrowIfFailedAsync();
                    // A delivery covers consecutive batches: a gap (batches an earlier run recorded) closes the group first.
                    if (turns.Group.BatchCount > 0 && m.Batch != turns.Group.NextBatchId) await Checkpoint();
                    long started = Stopwatch.GetTimestamp();
                    if (m.Activations is null) turns.Group.Add(m.Batch, SketchedBatch.Empty);
                    else turns.Group.Add(m.Batch, m.Activations, sketcher);
                    double sketch = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    turns.Pending.Add(new CompletedBatch(m.Batch, m.Images, m.Failures,
                        new IngestionStages(m.LoadWait, m.Forward, m.Encode, sketch, 0, m.Relevance)));
                    done++;   // batches recorded earlier + those processed now: it reaches batches at the last remaining one
                    imagesDone += m.Images;
                    if (turns.Pending.Count >= options.CheckpointEveryBatches || done == batches
                        || Stopwatch.GetElapsedTime(lastCheckpoint).TotalSeconds >= options.CheckpointSecondsFor(turns.Group.TouchedLatents, secondsPerLatent))
                        await Checkpoint();
                    await GrainRetry.CallAsync(() => corpus.ReportProcessedAsync(done, batches), stopAll.Token);
                    report?.Invoke(new IngestionProgress("ingesting", imagesDone, items.Count, done, batches));
                }
                await turns.DrainAsync();
            }
            catch
            {
                stopAll.Cancel();   // the model stage stops too instead of waiting on a hand-over no one reads
                try { await turns.DrainAsync(); }
                catch { /* the delivery's own error is the one rethrown, or a consequence of it */ }
                throw;
            }

            Task Checkpoint()
            {
                lastCheckpoint = Stopwatch.GetTimestamp();
                return turns.CheckpointAsync();
            }
        }
        await GrainRetry.CallAsync(corpus.FinishAsync, ct);
        var labelling = await LatentLabellingJobs.AfterIngestionAsync(grains, request.SaeId);   // new reference images: relabel
        var completed = await GrainRetry.CallAsync(corpus.GetAsync, ct);
        report?.Invoke(new IngestionProgress("completed", completed.ImagesDone, completed.ImagesTotal, done, batches));
        return new IngestionResult(request.CorpusId, request.SaeId, request.VocabularyId, completed.ImagesTotal, completed.ImagesDone,
            completed.FailedFiles.Length, batches, recordedBefore, completed.ImagesPerSecond, labelling);
    }

    /// <summary>Batches the model stage may run ahead of the sketch stage.</summary>
    const int ModelledAhead = 2;

    /// <summary>What the model stage hands the sketch stage: a batch's activations (null when no image loaded) and its timings.</summary>
    sealed record ModelledBatch(long Batch, int Images, FailedFile[] Failures, SaeBatch? Activations,
        double LoadWait, double Forward, double Encode, double Relevance);

    /// <summary>Seconds since the clock's last lap; restarts it.</summary>
    static double Lap(Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }

    /// <summary>
    /// Delivers the pending batches' group (every grain stores what it is given before it answers, so the group is
    /// durable once delivered), then records the batches as complete in one write, each with an equal share of the
    /// delivery's seconds. After a crash the run resumes past the recorded batches — at the first batch of a delivery,
    /// since a delivery's batches are recorded together — and delivers the rest again, which the grains' ledgers make
    /// harmless.
    /// </summary>
    async Task<long> CheckpointAsync(ICorpusGrain corpus, DeliveryGroup group, List<CompletedBatch> pending,
        long durableThrough, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await group.DeliverAsync(latentGrains, durableThrough, ct);
        double deliver = clock.Elapsed.TotalSeconds / pending.Count;
        CompletedBatch[] completed = [.. pending.Select(p => p with { Stages = p.Stages with { Deliver = deliver } })];
        await GrainRetry.CallAsync(() => corpus.CompleteBatchesAsync(completed), ct);
        pending.Clear();
        return (await GrainRetry.CallAsync(corpus.GetAsync, ct)).DurableThrough;
    }

    /// <summary>
    /// Where a registered SAE reads the model (the ingest benchmark times the same hook alone): the image embedding when
    /// the record names <see cref="HookSpec.ImageEmbeds"/>, else the residual stream after its block — also when it names
    /// no hook, as records stored before hooks had names do.
    /// </summary>
    public static SaeHookSpec HookOf(SaeRecord record) => record.Hook.Name == HookSpec.ImageEmbeds
        ? SaeHookSpec.ImageEmbeds
        : new(record.Hook.Layer, ParseTokens(record.Hook.Tokens), record.Hook.Name ?? $"resid_post.{record.Hook.Layer}");

    /// <summary>Only the positive activations are kept (a top-k SAE's k can include zeros).</summary>
    /// <remarks>Activations that are all positive are returned as they are; otherwise the kept ones are counted first, so
    /// the arrays (large: a batch's rows × k) are allocated once at their size.</remarks>
    public static SparseActivations Positive(SparseActivations a)
    {
        int kept = 0;
        foreach (var v in a.Values.AsSpan(0, a.RowStart[a.Rows])) if (v > 0) kept++;
        if (kept == a.RowStart[a.Rows]) return a;
        var start = new int[a.Rows + 1];
        var indices = new int[kept];
        var values = new float[kept];
        int n = 0;
        for (int r = 0; r < a.Rows; r++)
        {
            var idx = a.RowIndices(r); var val = a.RowValues(r);
            for (int i = 0; i < idx.Length; i++)
                if (val[i] > 0) { indices[n] = idx[i]; values[n++] = val[i]; }
            start[r + 1] = n;
        }
        return new SparseActivations(a.Rows, a.LatentCount, start, indices, values);
    }

    public static TokenSelection ParseTokens(string tokens) => tokens.ToLowerInvariant() switch
    {
        "all" => TokenSelection.All,
        "cls" => TokenSelection.Cls,
        "patches" => TokenSelection.Patches,
        _ => throw new ArgumentException($"hook tokens '{tokens}' is not one of all, cls, patches"),
    };
}
