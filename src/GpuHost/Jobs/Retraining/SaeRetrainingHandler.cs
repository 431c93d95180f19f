using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Blobs;
using Actors.Grains.Registry;
using Actors.Sae.Architectures;
using Actors.Sae.Matching;
using Actors.Sae.Training;
using Actors.Vision.Clip;
using Actors.Vision.Tokenization;
using Microsoft.Extensions.Logging;
using Orleans;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>
/// Runs a "sae-retraining" job (POST /api/saes/{saeId}/retraining): train (resuming the job's own checkpoint on a
/// later attempt), evaluate on held-out images, register the new version with its lineage, match its latents to the
/// parent's and carry labels and investigation notes over, optionally re-ingest the parent's corpora. Every stage can be repeated by a later
/// attempt without changing its outcome. Progress: training steps with loss, explained variance, L0 and dead
/// fraction, then each later stage.
/// </summary>
public sealed class SaeRetrainingHandler(IGrainFactory grains, ModelCatalog models, SaeCatalog saes, IBlobStore blobs, RetrainingOptions options,
    ILogger<SaeRetrainingHandler> logger) : IJobHandler
{
    public string Kind => SaeRetrainingParameters.Kind;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<SaeRetrainingParameters>();
        string folder = Path.Combine(options.Folder!, context.JobId);
        var parent = await AnalysisTarget.LoadAsync(grains, models, saes, p.SaeId);
        if (p.Architecture == "topk" && p.K is null)   // the API leaves k to the parent's when both are top-k
            p = p with { K = (parent.Autoencoder as TopKSae)?.K ?? throw new ArgumentException($"k is needed: parent '{p.SaeId}' is not a top-k SAE") };
        var parentView = await grains.GetGrain<ISaeGrain>(p.SaeId).GetAsync();
        // A model of this job's own over the catalog's weights: a ClipVisionModel reuses its buffers and ingestion may run the shared one.
        var model = new ClipModel(parent.Model.Model.Backend, parent.Model.Weights);
        var images = RetrainingImages.Split(await RetrainingImages.ListAsync(grains, p.CorpusIds), p.EvaluationImages, p.Seed);
        if (images.HeldOut.Count == 0) throw new ArgumentException($"no images can be held out for evaluation: the corpora hold {images.Training.Count} (at least 5 are needed)");

        TrainingSummary? trained = null;
        var sae = await Task.Run(() => RetrainingTraining.Run(p, folder, model, parent.Model, images, options.WindowImages, (r, resumed) =>
        {
            trained = new TrainingSummary(r.Step, r.Tokens, r.Loss, r.ExplainedVariance, r.MeanL0, r.DeadFraction, resumed);
            var figures = new Dictionary<string, double> { ["loss"] = r.Loss, ["l0"] = r.MeanL0, ["deadFraction"] = r.DeadFraction, ["learningRate"] = r.LearningRate };
            if (double.IsFinite(r.ExplainedVariance)) figures["explainedVariance"] = r.ExplainedVariance;
            context.Report(r.Step, r.TotalSteps, "training", figures);
        }, cancellationToken), cancellationToken);
        if (trained?.Resumed == true) logger.LogInformation("job {Job}: attempt {Attempt} continued its checkpoint", context.JobId, context.Attempt);

        context.Report(0, 1, "evaluating");
        var hook = RetrainingTraining.Hook(p);
        var tokenizer = Tokenizer(parent.Model.Path);
        var heldOut = new ImageBatches(images.HeldOut, parent.Model.Preprocessor);
        var evaluation = await Task.Run(() => RetrainingEvaluation.Evaluate(model, tokenizer, heldOut, sae, hook), cancellationToken);
        var parentEvaluation = parent.Hook.Layer == hook.Layer && parent.Hook.Tokens == hook.Tokens && parent.Hook.Site == hook.Site
            ? await Task.Run(() => RetrainingEvaluation.Evaluate(model, tokenizer, heldOut, parent.Autoencoder, parent.Hook), cancellationToken) : null;
        context.Report(1, 1, "evaluating", new Dictionary<string, double> { ["explainedVariance"] = evaluation.ExplainedVariance });

        string weights = Path.GetFullPath(Path.Combine(folder, "sae"));
        int version = SaeLineage.VersionOf(parentView.Lineage) + 1;
        await RegisterAsync(p, parent.Record, weights);

        context.Report(0, 1, "matching");
        var shared = await SharedImagesAsync(parentView.Corpora, p.CoActivationImages);
        var (matching, document) = await Task.Run(() => Match(p, context.JobId, version, model, parent, shared, sae, hook), cancellationToken);
        await LatentLineage.PublishAsync(grains, blobs, document, cancellationToken);
        var carried = await LatentLineage.CarryAsync(grains, document, (done, total, stage) => context.Report(done, total, stage), cancellationToken);

        var reingested = p.Reingest ? await Reingestion.StartAsync(grains, parentView.Corpora, p.NewSaeId) : [];
        SaeTrainer.DeleteCheckpoint(Path.Combine(folder, "checkpoint"));
        var result = new SaeRetrainingResult(p.NewSaeId, p.SaeId, version, weights, trained, evaluation, parentEvaluation,
            matching with { LabelsCarried = carried.Labels, NotesCarried = carried.Notes }, reingested);
        return new JobOutcome(JobContext.ToJson(result));
    }

    /// <summary>Registers the new SAE, or finds it registered by an earlier attempt; refuses to replace another SAE.</summary>
    async Task RegisterAsync(SaeRetrainingParameters p, SaeRecord parentRecord, string weights)
    {
        var grain = grains.GetGrain<ISaeGrain>(p.NewSaeId);
        var existing = (await grain.GetAsync()).Record;
        if (existing is not null && existing.WeightsPath != weights)
            throw new InvalidOperationException($"SAE '{p.NewSaeId}' was registered meanwhile with other weights ({existing.WeightsPath})");
        var record = new SaeRecord(parentRecord.ModelId, new HookSpec(p.Layer, p.Tokens), p.Width, p.Architecture, weights);
        if (existing is null) await grain.RegisterAsync(record);
        await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Sae, p.NewSaeId);
    }

    static (MatchingSummary, LineageDocument) Match(SaeRetrainingParameters p, string jobId, int version, ClipModel model, AnalysisTarget parent,
        IReadOnlyList<CorpusItem> shared, SparseAutoencoder sae, Actors.Sae.SaeHookSpec hook)
    {
        var options = new LatentMatchOptions { Threshold = p.MatchThreshold };
        if (parent.Autoencoder.DIn != sae.DIn)
        {
            var none = new LatentMatching("none", p.MatchThreshold, 0, [], [.. Enumerable.Range(0, sae.DSae)], [.. Enumerable.Range(0, parent.Autoencoder.DSae)]);
            return (new MatchingSummary("none", p.MatchThreshold, 0, 0, sae.DSae, parent.Autoencoder.DSae, 0,
                0, $"the parent reads d_in {parent.Autoencoder.DIn}, the new SAE {sae.DIn}: decoder directions are not comparable"),
                LatentLineage.Document(p.NewSaeId, p.SaeId, version, jobId, none));
        }
        var firing = LatentLineage.Firing(model.Vision, parent.Model.Preprocessor, shared, sae, hook, parent.Autoencoder, parent.Hook);
        var matching = LatentMatcher.Match(sae, parent.Autoencoder, options, firing?.Newer, firing?.Older);
        return (new MatchingSummary(matching.Method, matching.Threshold, matching.CoActivationImages, matching.Matches.Length,
            matching.UnmatchedNew.Length, matching.UnmatchedOld.Length, 0, 0), LatentLineage.Document(p.NewSaeId, p.SaeId, version, jobId, matching));
    }

    /// <summary>Up to <paramref name="count"/> images, spread evenly, of the corpora the parent was ingested on (and that are still registered).</summary>
    async Task<IReadOnlyList<CorpusItem>> SharedImagesAsync(string[] parentCorpora, int count)
    {
        if (count <= 0) return [];
        var registered = new List<string>();
        foreach (var c in parentCorpora) if ((await grains.GetGrain<ICorpusGrain>(c).GetAsync()).Source is not null) registered.Add(c);
        return RetrainingImages.Spread(await RetrainingImages.ListAsync(grains, registered), count);
    }

    /// <summary>The model folder's tokenizer, or null (loss recovered then uses the embedding-cosine measure).</summary>
    ClipTokenizer? Tokenizer(string modelPath)
    {
        string dir = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(modelPath)!;
        try { return ClipTokenizer.FromDirectory(dir); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            logger.LogWarning("no tokenizer in {Folder} ({Error}); loss recovered uses the embedding-cosine measure", dir, e.Message);
            return null;
        }
    }
}
