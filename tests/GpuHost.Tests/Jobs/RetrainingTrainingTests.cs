using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Registry;
using Actors.Sae.Training;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Tests.Jobs;

/// <summary>
/// The retraining job's training stage, as attempts of one job see it: an attempt stopped mid-run (its host shutting
/// down) saves the step it reached, the next attempt continues from there to the weights of an uninterrupted run, and
/// an attempt that finds the finished SAE folder trains nothing. For both trainable architectures.
/// </summary>
public sealed class RetrainingTrainingTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("retraining-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("topk")]
    [InlineData("standard")]
    public void AnAttemptStoppedMidRunIsContinuedByTheNextToTheWeightsOfAnUninterruptedRun(string architecture)
    {
        string modelDir = Path.Combine(root, "model"), corpus = Path.Combine(root, "corpus");
        RandomClipModel.Write(modelDir, RandomClipModel.Preset("tiny"), 6);
        var rng = new Random(7);
        Directory.CreateDirectory(corpus);
        for (int i = 0; i < 20; i++)
        {
            var px = new byte[24 * 20 * 3];
            rng.NextBytes(px);
            File.WriteAllBytes(Path.Combine(corpus, $"{i:D2}.png"), ImageCodec.EncodePng(new RgbImage(24, 20, px)));
        }
        var loaded = new ModelCatalog(new CpuBackend()).Load(modelDir);
        var model = new ClipModel(loaded.Model.Backend, loaded.Weights);
        var images = RetrainingImages.Split(CorpusReader.Read(new CorpusSource("folder", corpus)), 4, 3);
        Assert.Equal((16, 4), (images.Training.Count, images.HeldOut.Count));
        var p = new SaeRetrainingParameters("parent", "parent-v2", architecture, 48, architecture == "topk" ? 4 : null, 0, "all", ["c"],
            Steps: 120, BatchSize: 64, LearningRate: 1e-3f, L1Coefficient: architecture == "standard" ? 0.01f : 0, Seed: 3, CheckpointEvery: 50,
            EvaluationImages: 4, MatchThreshold: 0.7, CoActivationImages: 0, Reingest: false);

        var straight = RetrainingTraining.Run(p, Path.Combine(root, "job-a"), model, loaded, images, 8, (_, _) => { }, CancellationToken.None);

        string job = Path.Combine(root, "job-b");
        using (var stop = new CancellationTokenSource())
        {
            Assert.Throws<OperationCanceledException>(() => RetrainingTraining.Run(p, job, model, loaded, images, 8,
                (r, _) => { if (r.Step == 73) stop.Cancel(); }, stop.Token));
        }
        Assert.Equal(73, SaeTrainer.CheckpointStep(Path.Combine(job, "checkpoint")));   // not a multiple of 50: saved on the way out
        var steps = new List<(long Step, bool Resumed)>();
        var resumed = RetrainingTraining.Run(p, job, model, loaded, images, 8, (r, again) => steps.Add((r.Step, again)), CancellationToken.None);
        Assert.Equal((74L, true), steps[0]);
        Assert.Equal((120L, true), steps[^1]);

        Assert.Equal(straight.EncoderWeights, resumed.EncoderWeights);
        Assert.Equal(straight.DecoderWeights, resumed.DecoderWeights);
        Assert.Equal(straight.EncoderBias, resumed.EncoderBias);
        Assert.Equal(straight.DecoderBias, resumed.DecoderBias);

        bool trained = false;
        var again = RetrainingTraining.Run(p, job, model, loaded, images, 8, (_, _) => trained = true, CancellationToken.None);
        Assert.False(trained, "an attempt that found the finished folder trained again");
        Assert.Equal(resumed.DecoderWeights, again.DecoderWeights);
    }
}
