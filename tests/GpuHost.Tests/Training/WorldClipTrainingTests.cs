using System.Globalization;
using Actors.GpuHost.Cli;
using Actors.GpuHost.Training;

namespace Actors.GpuHost.Tests.Training;

public class WorldClipTrainingTests
{
    static ClipTrainingConfig SmokeShape(int vocab) =>
        new(ImageSize: 64, PatchSize: 16, VisionWidth: 32, VisionLayers: 2, VisionHeads: 2,
            VocabSize: vocab, ContextLength: 16, TextWidth: 32, TextLayers: 2, TextHeads: 2, EmbedDim: 32);

    [Fact]
    public void ASmokeTrainingOnTheWorldLowersTheLossAndExportsAModelThatWorldEvalReads()
    {
        string dir = Path.Combine(Path.GetTempPath(), "world-clip-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new ClipTrainingOptions(Steps: 40, Batch: 16, Seed: 3, PeakLearningRate: 2e-3f, WarmupSteps: 4, CheckpointEvery: 20);
            TrainWorldClipVerb.Run(dir, options, poolSize: 640, vocabularySize: 600, resume: false, shape: SmokeShape);

            var log = File.ReadAllLines(Path.Combine(dir, "training-log.csv")).Skip(1)
                .Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(40, log.Length);
            float first = log.Take(8).Average(), last = log.TakeLast(8).Average();
            Assert.True(last < first - 0.3f, $"mean loss of the first 8 steps {first:F3}, of the last 8 {last:F3}");

            var figures = WorldEvaluation.Load(dir).Run(worldSeed: 3, count: 24);
            Assert.Equal(["world-color", "world-shape", "world-background", "world-word", "world-average", "world-worst-group", "world-typo-flip"],
                figures.Select(f => f.Name));
            Assert.All(figures, f => Assert.InRange(f.Value, 0.0, 1.0));
            Assert.True(File.Exists(Path.Combine(dir, "checkpoint.safetensors")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
