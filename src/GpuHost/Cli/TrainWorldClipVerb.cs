using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Tensors;
using Actors.Vision.Imaging;
using Actors.Vision.Tokenization;
using Actors.World.Training;
using Actors.World;

namespace Actors.GpuHost.Cli;

/// <summary>
/// `train-world-clip --out DIR`: learns a BPE vocabulary from the world's captions, trains a small CLIP on world
/// scenes rendered on the fly, checkpoints (resumable with --resume) and exports a Hugging Face CLIPModel folder.
/// </summary>
public sealed class TrainWorldClipVerb : ICliVerb
{
    public Command Build()
    {
        var output = new Option<string>("--out") { Description = "output folder (HF model files, checkpoint, training log)", Required = true };
        var steps = new Option<int>("--steps") { Description = "optimiser steps", DefaultValueFactory = _ => 3000 };
        var batch = new Option<int>("--batch") { Description = "pairs per batch", DefaultValueFactory = _ => 128 };
        var seed = new Option<int>("--seed") { Description = "world and initialisation seed", DefaultValueFactory = _ => 1 };
        var pool = new Option<int>("--pool") { Description = "world scenes in the training pool", DefaultValueFactory = _ => 60000 };
        var rate = new Option<float>("--lr") { Description = "peak learning rate", DefaultValueFactory = _ => 5e-4f };
        var vocab = new Option<int>("--vocab") { Description = "BPE vocabulary size wanted (512 byte symbols + merges + 2)", DefaultValueFactory = _ => 1024 };
        var group = new Option<int>("--group") { Description = "scenes per hard-negative group sharing colour and background (1: plain shuffled batches)", DefaultValueFactory = _ => 8 };
        var share = new Option<double>("--grouped-share") { Description = "fraction of each batch made of hard-negative groups (the rest plain shuffled scenes)", DefaultValueFactory = _ => 1.0 };
        var partial = new Option<double>("--partial-captions") { Description = "probability that a pair's caption is a partial description of its scene (\"a photo of a star\") instead of the full caption", DefaultValueFactory = _ => 0.0 };
        var noSpurious = new Option<bool>("--groups-without-spurious") { Description = "keep spurious-split scenes (ducks/birds on water/land) out of hard-negative groups, which would otherwise upsample the minority groups" };
        var elsewhere = new Option<bool>("--spurious-classes-elsewhere", "--ducks-and-trees-elsewhere") { Description = "the plain part of the training pool also holds the spurious split's classes (duck, bird) on backgrounds other than water and land (water and land keep the 95% correlation)" };
        var pair = new Option<bool>("--pair-together") { Description = "a hard-negative group whose scenes could hold both of the spurious split's classes (duck, bird) always takes one of each: the subtle pair as an explicit hard negative" };
        var transcribed = new Option<double>("--transcribed-captions") { Description = "probability that the caption of a scene with a written word is the word alone (\"duck\", \"a photo of a duck\"), as web alt-text transcribes signs", DefaultValueFactory = _ => 0.0 };
        var resume = new Option<bool>("--resume") { Description = "continue from DIR/checkpoint.safetensors" };
        var scheduleFrom = new Option<int>("--schedule-from") { Description = "start the learning-rate schedule (warm-up over a thirtieth of the remaining steps, then cosine to --steps) at this step: a fine-tuning stage of a resumed model", DefaultValueFactory = _ => 0 };
        var cmd = new Command("train-world-clip", "Train a small CLIP on the synthetic world and export it in the Hugging Face CLIPModel layout.");
        foreach (var o in new Option[] { output, steps, batch, seed, pool, rate, vocab, group, share, partial, noSpurious, elsewhere, pair, transcribed, resume, scheduleFrom }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(output)!;
            int worldSeed = parse.GetValue(seed);
            int total = parse.GetValue(steps), from = parse.GetValue(scheduleFrom);
            if (from < 0 || from >= total)
                throw new ArgumentException($"--schedule-from {from} must lie in [0, --steps {total})");
            var options = new ClipTrainingOptions(total, parse.GetValue(batch), worldSeed,
                PeakLearningRate: parse.GetValue(rate), WarmupSteps: Math.Max(1, (total - from) / 30), ScheduleFrom: from);
            var recipe = new WorldBatchRecipe(parse.GetValue(group), parse.GetValue(share), parse.GetValue(partial),
                SpuriousInGroups: !parse.GetValue(noSpurious), SpuriousClassesElsewhere: parse.GetValue(elsewhere), PairTogether: parse.GetValue(pair),
                TranscribedShare: parse.GetValue(transcribed));
            Run(dir, options, parse.GetValue(pool), parse.GetValue(vocab), parse.GetValue(resume), recipe);
            return 0;
        });
        return cmd;
    }

    public static void Run(string dir, ClipTrainingOptions options, int poolSize, int vocabularySize, bool resume,
        WorldBatchRecipe? recipe = null, Func<int, ClipTrainingConfig>? shape = null)
    {
        recipe ??= new WorldBatchRecipe();
        Directory.CreateDirectory(dir);
        string checkpoint = Path.Combine(dir, "checkpoint.safetensors");
        ulong worldSeed = (ulong)options.Seed;
        var clock = Stopwatch.StartNew();

        // 1. vocabulary learned from world captions (kept when resuming so ids do not change)
        if (!(resume && File.Exists(Path.Combine(dir, "vocab.json"))))
        {
            var captions = WorldSplits.Generate(WorldSplit.Train, 20000, worldSeed).Select(i => i.Caption)
                .Concat(WorldSplits.Generate(WorldSplit.SpuriousTrain, 2000, worldSeed).Select(i => i.Caption));
            if (recipe.PartialShare > 0)
            {
                var rng = new SplitMix64(SplitMix64.Derive(worldSeed, 0xB9E));
                captions = captions.Concat(WorldSplits.Generate(WorldSplit.Train, 5000, worldSeed).Select(i => PartialCaptions.Write(i.Factors, rng)).ToArray());
            }
            if (recipe.TranscribedShare > 0)
            {
                var rng = new SplitMix64(SplitMix64.Derive(worldSeed, 0x7E45));
                captions = captions.Concat(Enumerable.Range(0, 2000).Select(k => PartialCaptions.Transcription(WorldSplits.WordVocabulary[k % WorldSplits.WordVocabulary.Count], rng)).ToArray());
            }
            BpeTrainer.TrainAndWrite(captions, dir, vocabularySize);
        }
        var tokenizer = ClipTokenizer.FromDirectory(dir);

        // 2. model: fresh, or restored from the checkpoint
        TrainingCheckpoint.State? state = resume && File.Exists(checkpoint) ? TrainingCheckpoint.Load(checkpoint) : null;
        var config = state?.Config ?? (shape ?? ClipTrainingConfig.World)(tokenizer.VocabularySize);
        if (config.VocabSize != tokenizer.VocabularySize)
            throw new InvalidDataException($"{checkpoint}: model vocabulary {config.VocabSize} ≠ tokenizer vocabulary {tokenizer.VocabularySize} in {dir}");
        var model = new ClipTrainingModel(config);
        model.Initialize(options.Seed);
        var preprocessor = new ClipPreprocessor(config.ImageSize);
        var data = new WorldClipTrainingData(tokenizer, config, worldSeed, poolSize, preprocessor, recipe);
        var trainer = new ClipTrainer(model, data, options);
        if (state is not null) trainer.Restore(state);
        Console.WriteLine($"world-clip: {model.Layout.Count:N0} parameters, vocabulary {config.VocabSize}, pool {poolSize}, " +
                          $"steps {trainer.Step}→{options.Steps}" + (options.ScheduleFrom > 0 ? $" (schedule from step {options.ScheduleFrom})" : "") + $", batch {options.Batch}, hard-negative groups of {recipe.GroupSize} over {recipe.GroupedShare:P0} of each batch, partial captions {recipe.PartialShare:P0}" +
                          (recipe.SpuriousClassesElsewhere ? ", spurious classes also off water/land" : "") + (recipe.SpuriousInGroups ? "" : ", spurious split kept out of groups") +
                          (recipe.PairTogether ? ", duck and bird together in groups" : "") + (recipe.TranscribedShare > 0 ? $", written words transcribed in {recipe.TranscribedShare:P0} of their captions" : ""));

        // 3. train with a progress bar; every step appended to training-log.csv
        string logPath = Path.Combine(dir, "training-log.csv");
        bool newLog = !File.Exists(logPath) || state is null;
        using (var log = new StreamWriter(logPath, append: !newLog))
        {
            if (newLog) log.WriteLine("step,loss,accuracy,grad_norm,lr,logit_scale");
            TrainingProgress.Run(trainer, checkpoint, r => log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Step},{r.Loss:F5},{r.Accuracy:F4},{r.GradientNorm:F4},{r.LearningRate:E3},{r.LogitScale:F4}")));
        }

        // 4. export the Hugging Face folder next to the tokenizer files
        var tokens = new SpecialTokens(tokenizer.StartOfTextId, tokenizer.EndOfTextId, tokenizer.EndOfTextId);
        HuggingFaceExport.Write(model, dir, tokens, File.ReadAllText(Path.Combine(dir, "vocab.json")),
            File.ReadAllText(Path.Combine(dir, "merges.txt")), preprocessor.Mean, preprocessor.Std);
        File.WriteAllText(Path.Combine(dir, "training.json"), JsonSerializer.Serialize(new
        {
            options.Steps, options.Batch, options.Seed, options.PeakLearningRate, options.WarmupSteps, options.WeightDecay,
            options.MaxGradientNorm, PoolSize = poolSize, recipe.GroupSize, recipe.GroupedShare, recipe.SpuriousInGroups, recipe.SpuriousClassesElsewhere, recipe.PairTogether, recipe.TranscribedShare, options.ScheduleFrom, PartialCaptionShare = recipe.PartialShare, VocabularySize = config.VocabSize, WorldVersion = WorldManifest.WorldVersion,
            Config = config, SecondsThisRun = clock.Elapsed.TotalSeconds,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"exported to {dir} in {clock.Elapsed.TotalMinutes:F1} min");
    }
}
