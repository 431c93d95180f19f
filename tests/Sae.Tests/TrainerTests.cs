using System.Diagnostics;
using Actors.Sae.Architectures;
using Actors.Sae.Training;
using Xunit.Abstractions;

namespace Actors.Sae.Tests;

public sealed class TrainerTests(ITestOutputHelper output) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "sae-train-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    /// <summary>For each true feature, the best cosine with any learned decoder row; averaged.</summary>
    static double MeanMaxCosine(float[] truth, int features, SparseAutoencoder sae)
    {
        int d = sae.DIn; double total = 0;
        for (int f = 0; f < features; f++)
        {
            double best = -1;
            for (int j = 0; j < sae.DSae; j++)
            {
                double dot = 0, nn = 0;
                for (int i = 0; i < d; i++) { dot += truth[f * d + i] * sae.DecoderWeights[j * d + i]; nn += (double)sae.DecoderWeights[j * d + i] * sae.DecoderWeights[j * d + i]; }
                best = Math.Max(best, dot / Math.Sqrt(nn));
            }
            total += best;
        }
        return total / features;
    }

    [Fact]
    public void TopKSaeRecoversPlantedFeatures()
    {
        var sw = Stopwatch.StartNew();
        var source = new PlantedFeatureSource(dIn: 32, featureCount: 64, activePerRow: 3, seed: 1, offsetNorm: 1f);
        var trainer = new SaeTrainer(new TopKSaeConfig(32, 128, 3), new SaeTrainingConfig
        {
            BatchSize = 256, TotalTokens = 256 * 500, LearningRate = 4e-3f, WarmupSteps = 20, DecaySteps = 150,
            DeadAfterTokens = 256 * 20, AuxK = 16, Seed = 3,
        });
        var last = trainer.Train(source);
        double score = MeanMaxCosine(source.Features, 64, trainer.Sae);
        output.WriteLine($"top-k: mean max cosine {score:F4}, final loss {last!.Loss:G4}, L0 {last.MeanL0:F2}, dead {last.DeadFraction:P1}, {sw.Elapsed.TotalSeconds:F1}s");
        Assert.True(score >= 0.9, $"mean max cosine {score:F3} < 0.9");
    }

    [Fact]
    [Trait("Category", "Slow")] // ~14 s alone on 2 cores; reached 0.97
    public void ReluL1SaeRecoversPlantedFeatures()
    {
        var sw = Stopwatch.StartNew();
        var source = new PlantedFeatureSource(dIn: 32, featureCount: 64, activePerRow: 3, seed: 2);
        var trainer = new SaeTrainer(new StandardSaeConfig(32, 128), new SaeTrainingConfig
        {
            BatchSize = 256, TotalTokens = 256 * 1200, LearningRate = 3e-3f, WarmupSteps = 20, DecaySteps = 300,
            L1Coefficient = 1.0f, DeadAfterTokens = 256 * 50, ResampleEverySteps = 200, Seed = 3,
        });
        var last = trainer.Train(source);
        double score = MeanMaxCosine(source.Features, 64, trainer.Sae);
        output.WriteLine($"ReLU+L1: mean max cosine {score:F4}, final loss {last!.Loss:G4}, L0 {last.MeanL0:F2}, dead {last.DeadFraction:P1}, {sw.Elapsed.TotalSeconds:F1}s");
        Assert.True(score >= 0.9, $"mean max cosine {score:F3} < 0.9");
    }

    [Theory]
    [InlineData(SaeArchitecture.TopK)]
    [InlineData(SaeArchitecture.Standard)]
    public void AStoppedRunResumesBitIdentically(SaeArchitecture arch)
    {
        SaeConfig cfg = arch == SaeArchitecture.TopK ? new TopKSaeConfig(16, 48, 3) : new StandardSaeConfig(16, 48);
        var training = new SaeTrainingConfig
        {
            BatchSize = 64, TotalTokens = 64 * 30, WarmupSteps = 5, DecaySteps = 10, DeadAfterTokens = 64 * 3, AuxK = 8,
            L1Coefficient = 0.01f, ResampleEverySteps = 7, NormalizeActivations = true, Seed = 5,
        };
        var straight = new SaeTrainer(cfg, training);
        straight.Train(new PlantedFeatureSource(16, 24, 2, seed: 9));

        var first = new SaeTrainer(cfg, training);
        first.Train(new PlantedFeatureSource(16, 24, 2, seed: 9), stopAfterSteps: 13);
        first.SaveCheckpoint(dir);
        var resumed = SaeTrainer.Resume(dir);
        resumed.Train(new PlantedFeatureSource(16, 24, 2, seed: 9));

        Assert.Equal(straight.Step, resumed.Step);
        Assert.Equal(straight.Sae.Config.ActivationScale, resumed.Sae.Config.ActivationScale);
        Assert.Equal(straight.Sae.EncoderWeights, resumed.Sae.EncoderWeights);
        Assert.Equal(straight.Sae.DecoderWeights, resumed.Sae.DecoderWeights);
        Assert.Equal(straight.Sae.EncoderBias, resumed.Sae.EncoderBias);
        Assert.Equal(straight.Sae.DecoderBias, resumed.Sae.DecoderBias);
    }

    [Fact]
    public void ResumeOrStartContinuesOnlyACheckpointOfTheSameSaeAndADeletedOneStartsAfresh()
    {
        var hook = new SaeHookSpec(2, TokenSelection.All, "blocks.2.hook_resid_post");
        SaeConfig Config(int dSae, string model) => new TopKSaeConfig(16, dSae, 3)
            { Hook = hook, Metadata = new Dictionary<string, string> { ["model"] = model } };
        var training = new SaeTrainingConfig { BatchSize = 64, TotalTokens = 64 * 20, Seed = 5 };
        Assert.Equal(0, SaeTrainer.ResumeOrStart(dir, Config(48, "/m"), training).Step);

        var first = new SaeTrainer(Config(48, "/m"), training);
        first.Train(new PlantedFeatureSource(16, 24, 2, seed: 9), stopAfterSteps: 7);
        first.SaveCheckpoint(dir);
        Assert.Equal(7, SaeTrainer.ResumeOrStart(dir, Config(48, "/m"), training).Step);
        Assert.Throws<InvalidOperationException>(() => SaeTrainer.ResumeOrStart(dir, Config(32, "/m"), training));
        Assert.Throws<InvalidOperationException>(() => SaeTrainer.ResumeOrStart(dir, Config(48, "/other"), training));

        SaeTrainer.DeleteCheckpoint(dir);
        Assert.False(Directory.Exists(dir));
        Assert.Equal(0, SaeTrainer.ResumeOrStart(dir, Config(48, "/m"), training).Step);
    }

    [Fact]
    public void DecoderRowsStayUnitNorm()
    {
        var trainer = new SaeTrainer(new TopKSaeConfig(16, 48, 3), new SaeTrainingConfig { BatchSize = 64, TotalTokens = 64 * 5, Seed = 1 });
        trainer.Train(new PlantedFeatureSource(16, 24, 2, seed: 9));
        for (int j = 0; j < 48; j++)
            Assert.Equal(1.0, Math.Sqrt(trainer.Sae.DecoderWeights.Skip(j * 16).Take(16).Sum(v => (double)v * v)), 5);
    }
}
