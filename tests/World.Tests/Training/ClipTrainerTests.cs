using Actors.World.Training;

namespace Actors.World.Tests.Training;

/// <summary>
/// A small real dataset for the training loop's tests: each batch shows every one of B colours once, as a noisy
/// solid image, captioned "&lt;sot&gt; colour-token &lt;eot&gt;". Deterministic in (seed, step).
/// </summary>
sealed class ColourSquares(ClipTrainingConfig cfg, int seed) : IClipTrainingData
{
    public const int Sot = 22, Eot = 23;
    public void FillBatch(int step, int batch, Span<float> pixels, Span<int> ids, Span<int> eot)
    {
        var rng = new Random(seed * 100_003 + step);
        int s = cfg.ImageSize, t = cfg.ContextLength;
        var order = Enumerable.Range(0, batch).OrderBy(_ => rng.Next()).ToArray();
        for (int b = 0; b < batch; b++)
        {
            int k = order[b];
            for (int c = 0; c < 3; c++)
            {
                float v = ((k >> c) & 1) == 1 ? 1f : -1f;
                if (k >= 8) v *= 0.5f;
                for (int i = 0; i < s * s; i++) pixels[(b * 3 + c) * s * s + i] = v + (float)(rng.NextDouble() * 0.4 - 0.2);
            }
            var row = ids.Slice(b * t, t);
            row.Fill(Eot);
            row[0] = Sot; row[1] = 1 + k;
            eot[b] = 2;
        }
    }
}

public class ClipTrainerTests
{
    static ClipTrainer NewTrainer(int steps, int seed = 3)
    {
        var cfg = ClipTrainingConfig.Tiny(vocabSize: 24);
        var model = new ClipTrainingModel(cfg);
        model.Initialize(seed);
        return new ClipTrainer(model, new ColourSquares(cfg, seed),
            new ClipTrainingOptions(steps, Batch: 8, Seed: seed, PeakLearningRate: 3e-3f, WarmupSteps: 5, WeightDecay: 0.01f));
    }

    [Fact]
    public void ASmokeTrainingOfFortyStepsLowersTheLossAndRaisesInBatchAccuracy()
    {
        var trainer = NewTrainer(40);
        var reports = new List<StepReport>();
        trainer.Run(checkpointPath: null, reports.Add);
        Assert.Equal(40, reports.Count);
        float first = reports.Take(5).Average(r => r.Loss), last = reports.TakeLast(5).Average(r => r.Loss);
        float lastAccuracy = reports.TakeLast(5).Average(r => r.Accuracy);
        Assert.True(last < 0.5f * first, $"loss {first:F3} → {last:F3}");
        Assert.True(lastAccuracy > 0.8f, $"in-batch accuracy at the end {lastAccuracy:F2}");
        Assert.All(reports, r => Assert.InRange(r.LogitScale, 0f, ClipTrainingModel.MaxLogitScale));
    }

    [Fact]
    public void ResumingFromACheckpointReproducesAnUninterruptedRunExactly()
    {
        var straight = NewTrainer(6);
        straight.Run(null);

        string path = Path.Combine(Path.GetTempPath(), $"ckpt-{Guid.NewGuid():N}.safetensors");
        try
        {
            var first = NewTrainer(6);
            for (int i = 0; i < 3; i++) first.TrainStep();
            TrainingCheckpoint.Save(path, first);

            var state = TrainingCheckpoint.Load(path);
            Assert.Equal(3, state.Step);
            var resumed = new ClipTrainer(new ClipTrainingModel(state.Config), new ColourSquares(state.Config, state.Seed), first.Options);
            resumed.Restore(state);
            resumed.Run(null);

            Assert.Equal(6, resumed.Step);
            Assert.Equal(straight.Optimizer.Step, resumed.Optimizer.Step);
            float maxDiff = straight.Model.Parameters.Select((v, i) => Math.Abs(v - resumed.Model.Parameters[i])).Max();
            Assert.True(maxDiff == 0f, $"resumed parameters differ by up to {maxDiff}");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ACheckpointMissingATensorIsRefusedByName()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ckpt-{Guid.NewGuid():N}.safetensors");
        try
        {
            var t = NewTrainer(1);
            TrainingCheckpoint.Save(path, t);
            var tensors = Actors.Vision.Checkpoints.SafeTensorsFile.Read(path).Values.Where(x => x.Name != "adam.v.logit_scale").ToList();
            var meta = Actors.Vision.Checkpoints.SafeTensorsFile.ReadMetadata(path);
            Actors.Vision.Checkpoints.SafeTensorsFile.Write(path, tensors, metadata: meta);
            var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
            Assert.Contains("adam.v.logit_scale", e.Message);
        }
        finally { File.Delete(path); }
    }
}
