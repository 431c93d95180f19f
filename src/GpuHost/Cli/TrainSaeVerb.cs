using System.CommandLine;
using System.Diagnostics;
using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Evaluation;
using Actors.Sae.Formats;
using Actors.Sae.Sources;
using Actors.Sae.Training;
using Actors.Vision.Tokenization;
using Actors.World;
using Actors.World.Evaluation;
using Actors.Grains.Registry;
using Actors.Tensors.Backends;

namespace Actors.GpuHost.Cli;

/// <summary>
/// `train-sae --model DIR --out DIR (--world N | --corpus PATH) [--layer L --tokens all|cls|patches --d-sae N --k K ...]`:
/// trains a top-k SAE on activations streamed out of CLIP over images, checkpoints every --checkpoint-every steps into
/// --checkpoint (default OUT/checkpoint: weights, Adam state, data position), writes a SAELens folder and prints its
/// metrics on held-out images. An interrupted run (even SIGKILLed) continues bit-identically when started again with
/// the same arguments; --resume insists on a checkpoint. The checkpoint is removed once the run completes.
/// </summary>
public sealed class TrainSaeVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "CLIP model folder", Required = true };
        var output = new Option<string>("--out") { Description = "SAELens folder to write", Required = true };
        var world = new Option<int>("--world") { Description = "Train on N rendered world training scenes (seeded)" };
        var corpus = new Option<string?>("--corpus") { Description = "Train on a corpus folder or manifest instead" };
        var layer = new Option<int?>("--layer") { Description = "Residual stream after this block (default: second to last)" };
        var tokens = new Option<string>("--tokens") { Description = "all | cls | patches", DefaultValueFactory = _ => "all" };
        var dSae = new Option<int>("--d-sae") { Description = "Number of latents", DefaultValueFactory = _ => 1024 };
        var k = new Option<int>("--k") { Description = "Active latents per token (top-k)", DefaultValueFactory = _ => 16 };
        var total = new Option<long>("--tokens-total") { Description = "Training tokens", DefaultValueFactory = _ => 2_000_000 };
        var batch = new Option<int>("--batch") { Description = "Tokens per step", DefaultValueFactory = _ => 1024 };
        var lr = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3f };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation and data order", DefaultValueFactory = _ => 1 };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint folder (default: OUT/checkpoint)" };
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (0: none)", DefaultValueFactory = _ => 100 };
        var resume = new Option<bool>("--resume") { Description = "Continue the run checkpointed in the checkpoint folder; fail if there is none" };
        var evalImages = new Option<int>("--eval-images")
            { Description = "Held-out world images for the metrics (twice as many for loss recovered); 0 skips evaluation", DefaultValueFactory = _ => 256 };
        var cmd = new Command("train-sae", "Train a top-k SAE on CLIP activations streamed from images; writes a SAELens folder.");
        foreach (var o in new Option[] { model, output, world, corpus, layer, tokens, dSae, k, total, batch, lr, seed, checkpoint, every, resume, evalImages })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            int evaluate = parse.GetValue(evalImages);
            if (evaluate is > 0 and < 32) throw new ArgumentException("--eval-images must be 0 or at least 32 (loss recovered needs whole batches of 64)");
            string modelDir = parse.GetValue(model)!;
            var loaded = new ModelCatalog(new CpuBackend()).Load(modelDir);
            var vision = loaded.Model.Vision;
            int hookLayer = parse.GetValue(layer) ?? Math.Max(0, vision.Layers - 2);
            var hook = new SaeHookSpec(hookLayer, IngestionJob.ParseTokens(parse.GetValue(tokens)!), $"blocks.{hookLayer}.hook_resid_post");
            string? corpusPath = parse.GetValue(corpus);
            IImageSequence trainImages = corpusPath is not null
                ? new CorpusImageSequence(CorpusReader.Read(new CorpusSource(Directory.Exists(corpusPath) ? "folder" : "manifest", corpusPath)))
                : new WorldImageSequence(WorldSplit.Train, Math.Max(1, parse.GetValue(world)), 11);
            string outDir = parse.GetValue(output)!, checkpoints = parse.GetValue(checkpoint) ?? Path.Combine(outDir, "checkpoint");
            if (parse.GetValue(resume) && !SaeTrainer.HasCheckpoint(checkpoints))
                throw new FileNotFoundException($"--resume: no checkpoint in {checkpoints}", Path.Combine(checkpoints, SaeTrainer.StateFile));
            var config = new TopKSaeConfig(vision.Config.HiddenSize, parse.GetValue(dSae), parse.GetValue(k))
            {
                Hook = hook,
                Metadata = new Dictionary<string, string> { ["model"] = Path.GetFullPath(modelDir), ["trained_by"] = "train-sae" },
            };
            var training = new SaeTrainingConfig
            {
                BatchSize = parse.GetValue(batch), TotalTokens = parse.GetValue(total), LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed), CheckpointDirectory = checkpoints, CheckpointEverySteps = parse.GetValue(every),
                DeadAfterTokens = Math.Min(parse.GetValue(total) / 4, 1_000_000),
            };
            var trainer = SaeTrainer.ResumeOrStart(checkpoints, config, training);
            if (trainer.Step > 0) Console.Error.WriteLine($"resumed at step {trainer.Step} of {trainer.TotalSteps} from {checkpoints}");
            var source = new ClipActivationSource(vision, loaded.Preprocessor, trainImages, hook, seed: parse.GetValue(seed));
            var clock = Stopwatch.StartNew();
            SaeTrainingProgressBar.Run(trainer, source);
            SaeLensFolder.Write(outDir, trainer.Sae);
            SaeTrainer.DeleteCheckpoint(checkpoints);   // finished: a later run with these settings starts afresh
            Console.WriteLine($"trained {trainer.Step} steps in {clock.Elapsed.TotalMinutes:F1} min; wrote {outDir}");
            if (evaluate > 0) Evaluate(loaded, modelDir, trainer.Sae, hook, evaluate);
            return 0;
        });
        return cmd;
    }

    static void Evaluate(LoadedModel loaded, string modelDir, SparseAutoencoder sae, SaeHookSpec hook, int images)
    {
        var vision = loaded.Model.Vision;
        var heldOut = new ClipActivationSource(vision, loaded.Preprocessor, new WorldImageSequence(WorldSplit.Test, images, 12), hook, seed: 99);
        var metrics = SaeEvaluator.Evaluate(sae, heldOut, (long)images * hook.RowsPerSequence(vision.Config.Tokens));
        var splice = new ClipSpliceEvaluation(loaded.Model, ClipTokenizer.FromDirectory(modelDir), loaded.Preprocessor,
            WorldSplits.Generate(WorldSplit.Test, 2 * images, 12)).Run(sae, hook);
        Console.WriteLine($"zero-shot shape accuracy: original {splice.Original.Accuracy:P1}, SAE spliced {splice.Sae.Accuracy:P1}, zero-ablated {splice.ZeroAblation.Accuracy:P1}");
        Console.WriteLine($"contrastive loss: original {splice.Original.Loss:F4}, SAE spliced {splice.Sae.Loss:F4}, zero-ablated {splice.ZeroAblation.Loss:F4}");
        Console.WriteLine($"RESULT name=sae-loss-recovered value={splice.Fraction:F4}");
        Console.WriteLine($"RESULT name=sae-explained-variance value={metrics.ExplainedVariance:F4}");
        Console.WriteLine($"RESULT name=sae-l0 value={metrics.MeanL0:F2}");
        Console.WriteLine($"RESULT name=sae-dead-fraction value={metrics.DeadFraction:F4}");
    }
}
