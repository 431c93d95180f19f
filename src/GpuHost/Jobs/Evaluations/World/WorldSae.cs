using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Sae.Training;
using Actors.Vision.Clip;
using Actors.World;

namespace Actors.GpuHost.Jobs.Evaluations.World;

/// <summary>
/// How the world claims' SAE is trained: a top-k SAE on the world CLIP's image embedding (the image_embeds hook, one row
/// per scene), over <see cref="Scenes"/> scenes of the CLIP's training pool (train, and a <see cref="SpuriousShare"/> of
/// spurious-train as in world-clip's 20 %), each embedded once and served for <see cref="Epochs"/> shuffled epochs.
/// </summary>
public sealed record WorldSaeSettings(int Scenes = 6000, double SpuriousShare = 0.2, int DSae = 256, int K = 8, int Epochs = 40,
    int Batch = 512, float LearningRate = 1e-3f, int Seed = 1)
{
    /// <summary>The cache folder's name: every setting that changes the weights.</summary>
    public string FolderName => $"sae-image-embeds-d{DSae}-k{K}-n{Scenes}-p{SpuriousShare:0.##}-e{Epochs}-b{Batch}-lr{LearningRate:0.#####}-s{Seed}";
}

public static class WorldSae
{
    /// <summary>The SAE cached in <paramref name="dataFolder"/> for these settings, or a new one trained and cached there.</summary>
    public static (SparseAutoencoder Sae, string Folder, bool Trained) TrainOrLoad(LoadedModel model, string dataFolder, ulong worldSeed,
        WorldSaeSettings settings, Action<string> log)
    {
        string folder = Path.Combine(dataFolder, settings.FolderName);
        if (File.Exists(Path.Combine(folder, SaeLensFolder.ConfigFile))) return (SaeLensFolder.Read(folder), folder, false);

        int spurious = (int)Math.Round(settings.Scenes * settings.SpuriousShare);
        var scenes = new WorldScenes();
        var images = scenes.Take(WorldSplit.Train, settings.Scenes - spurious, worldSeed)
            .Concat(scenes.Take(WorldSplit.SpuriousTrain, spurious, worldSeed)).ToList();
        log($"embedding {images.Count} training scenes");
        var rows = Embed(model, images);
        int dim = model.Model.Config.ProjectionDim;
        var config = new TopKSaeConfig(dim, settings.DSae, settings.K)
        {
            Hook = SaeHookSpec.ImageEmbeds,
            Metadata = new Dictionary<string, string> { ["model"] = model.Path, ["trained_by"] = "world-claims" },
        };
        long total = (long)images.Count * settings.Epochs;
        var trainer = new SaeTrainer(config, new SaeTrainingConfig
        {
            BatchSize = settings.Batch, TotalTokens = total, LearningRate = settings.LearningRate, Seed = settings.Seed,
            WarmupSteps = (int)Math.Min(200, total / settings.Batch / 10), DeadAfterTokens = Math.Max(images.Count, total / 10),
        });
        var last = trainer.Train(new ShuffledRows(rows, dim, (ulong)settings.Seed));
        log($"trained {trainer.Step} steps: loss {last?.Loss:F5}, L0 {last?.MeanL0:F1}, dead {last?.DeadFraction:P1}");
        SaeLensFolder.Write(folder, trainer.Sae);
        return (trainer.Sae, folder, true);
    }

    /// <summary>Image embeddings (n, proj) of the images, batch by batch on a tower of its own.</summary>
    public static float[] Embed(LoadedModel model, IReadOnlyList<EvaluationImage> images)
    {
        var vision = model.NewVision();
        int per = model.Preprocessor.FloatsPerImage, dim = model.Model.Config.ProjectionDim;
        var rows = new float[images.Count * dim];
        const int batch = 64;
        for (int start = 0; start < images.Count; start += batch)
        {
            int n = Math.Min(batch, images.Count - start);
            var pixels = new float[n * per];
            Parallel.For(0, n, i => model.Preprocessor.Preprocess(images[start + i].Load()
                ?? throw new InvalidOperationException($"scene {images[start + i].ImageId} did not render"), pixels.AsSpan(i * per, per)));
            vision.Encode(pixels, n, rows.AsSpan(start * dim, n * dim));
        }
        return rows;
    }
}
