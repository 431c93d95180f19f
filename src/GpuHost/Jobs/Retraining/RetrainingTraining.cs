using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Sae.Sources;
using Actors.Sae.Training;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>
/// The training stage of a retraining job: an SAE of the requested architecture trained by <see cref="SaeTrainer"/>
/// on CLIP activations over the training images (<see cref="ClipActivationSource"/>, shuffle windows seeded by the
/// job's seed), checkpointed every <see cref="SaeRetrainingParameters.CheckpointEvery"/> steps into
/// {job folder}/checkpoint and continued from there by a later attempt, bit-identically. The result is written as a
/// SAELens folder {job folder}/sae (to a side folder first, then renamed), so an attempt that finds it complete skips
/// training. Hyper-parameters follow seed 001 App. 10 (Adam, W_enc = W_decᵀ at initialisation, warm-up) with
/// SAELens's linear decay over the last fifth in place of cosine annealing.
/// </summary>
public static class RetrainingTraining
{
    public static SaeHookSpec Hook(SaeRetrainingParameters p) =>
        new(p.Layer, IngestionJob.ParseTokens(p.Tokens), $"blocks.{p.Layer}.hook_resid_post");

    public static SaeConfig Config(SaeRetrainingParameters p, int dIn, string modelPath) => (p.Architecture switch
    {
        "topk" => (SaeConfig)new TopKSaeConfig(dIn, p.Width, p.K ?? throw new ArgumentException("a top-k SAE needs k")),
        "standard" => new StandardSaeConfig(dIn, p.Width),
        _ => throw new ArgumentException($"architecture '{p.Architecture}' is not one of {string.Join(", ", SaeRetrainingParameters.Architectures)}"),
    }) with
    {
        Hook = Hook(p),
        Metadata = new Dictionary<string, string> { ["model"] = modelPath, ["trained_by"] = SaeRetrainingParameters.Kind, ["parent_sae"] = p.SaeId },
    };

    public static SaeTrainingConfig Training(SaeRetrainingParameters p, string checkpoints) => new()
    {
        BatchSize = p.BatchSize, TotalTokens = p.Steps * p.BatchSize, LearningRate = p.LearningRate,
        WarmupSteps = (int)Math.Min(200, Math.Max(1, p.Steps / 10)), DecaySteps = (int)(p.Steps / 5),
        L1Coefficient = p.Architecture == "standard" ? p.L1Coefficient : 0,
        DeadAfterTokens = Math.Min(10_000_000, Math.Max(p.BatchSize, p.Steps * p.BatchSize / 4)),
        Seed = p.Seed, CheckpointEverySteps = p.CheckpointEvery, CheckpointDirectory = checkpoints,
    };

    /// <summary>Trains, continues the checkpointed run, or finds the finished folder; returns the SAE as written.</summary>
    public static SparseAutoencoder Run(SaeRetrainingParameters p, string jobFolder, ClipModel model, LoadedModel loaded,
        RetrainingImages images, int windowImages, Action<SaeTrainingProgress, bool> report, CancellationToken cancellation)
    {
        string saeFolder = Path.Combine(jobFolder, "sae"), checkpoints = Path.Combine(jobFolder, "checkpoint");
        if (File.Exists(Path.Combine(saeFolder, SaeLensFolder.WeightsFile))) return SaeLensFolder.Read(saeFolder);
        if (images.Training.Count == 0) throw new ArgumentException("the corpora hold no images to train on");
        var config = Config(p, model.Config.Vision.HiddenSize, loaded.Path);
        var trainer = SaeTrainer.ResumeOrStart(checkpoints, config, Training(p, checkpoints));
        bool resumed = trainer.Step > 0;
        var source = new ClipActivationSource(model.Vision, loaded.Preprocessor, new CorpusImageSequence(images.Training), config.Hook!,
            windowImages, p.Seed);
        trainer.Train(source, new Inline(r => report(r, resumed)), cancellation: cancellation);
        if (cancellation.IsCancellationRequested)
        {
            if (trainer.Step > 0) trainer.SaveCheckpoint(checkpoints);   // a host shutting down keeps every step it made
            cancellation.ThrowIfCancellationRequested();
        }
        if (trainer.Step < trainer.TotalSteps) throw new InvalidOperationException($"training stopped at step {trainer.Step} of {trainer.TotalSteps}");

        string pending = saeFolder + ".pending";
        if (Directory.Exists(pending)) Directory.Delete(pending, recursive: true);
        SaeLensFolder.Write(pending, trainer.Sae);
        Directory.Move(pending, saeFolder);
        return SaeLensFolder.Read(saeFolder);   // as registered: the activation scale folded in, as every reader sees it
    }

    sealed class Inline(Action<SaeTrainingProgress> report) : IProgress<SaeTrainingProgress>
    {
        public void Report(SaeTrainingProgress value) => report(value);
    }
}
