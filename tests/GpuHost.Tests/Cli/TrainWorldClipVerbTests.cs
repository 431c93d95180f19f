using System.Globalization;
using Actors.GpuHost.Cli;
using Actors.World;
using Actors.World.Training;

namespace Actors.GpuHost.Tests.Cli;

/// <summary>`train-world-clip` end to end at a smoke size: vocabulary, training log, checkpoint and export, read back by world-eval.</summary>
public sealed class TrainWorldClipVerbTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("world-clip-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static ClipTrainingConfig SmokeShape(int vocab) =>
        new(ImageSize: 64, PatchSize: 16, VisionWidth: 32, VisionLayers: 2, VisionHeads: 2,
            VocabSize: vocab, ContextLength: 16, TextWidth: 32, TextLayers: 2, TextHeads: 2, EmbedDim: 32);

    [Fact]
    public void ASmokeTrainingOnTheWorldLowersTheLossAndExportsAModelThatWorldEvalReads()
    {
        var options = new ClipTrainingOptions(Steps: 40, Batch: 16, Seed: 3, PeakLearningRate: 2e-3f, WarmupSteps: 4, CheckpointEvery: 20);
        TrainWorldClipVerb.Run(dir, options, poolSize: 640, vocabularySize: 600, resume: false, shape: SmokeShape);

        var log = File.ReadAllLines(Path.Combine(dir, "training-log.csv")).Skip(1)
            .Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(40, log.Length);
        float first = log.Take(8).Average(), last = log.TakeLast(8).Average();
        Assert.True(last < first - 0.3f, $"mean loss of the first 8 steps {first:F3}, of the last 8 {last:F3}");

        var details = new Dictionary<string, double>();
        var figures = WorldEvaluation.Load(dir).Run(worldSeed: 3, count: 24, (n, v) => details.Add(n, v));
        Assert.Equal(4, details.Keys.Count(k => k.StartsWith("spurious/")));
        Assert.Equal(figures.Single(f => f.Name == "world-worst-group").Value, details.Where(kv => kv.Key.StartsWith("spurious/")).Min(kv => kv.Value));
        var test = Actors.World.WorldSplits.Generate(Actors.World.WorldSplit.Test, 24, 3);
        double weighted = test.GroupBy(i => i.Factors.Shape).Sum(g => g.Count() * details[$"shape/{Actors.World.WorldNames.Name(g.Key)}"]) / test.Count;
        Assert.Equal(figures.Single(f => f.Name == "world-shape").Value, weighted, 9);
        Assert.Equal(["world-color", "world-shape", "world-background", "world-word", "world-average", "world-worst-group", "world-typo-flip", "world-background-reliance", "world-typo-flip-baseline"],
            figures.Select(f => f.Name));
        Assert.All(figures.Where(f => f.Name != "world-background-reliance"), f => Assert.InRange(f.Value, 0.0, 1.0));
        double Margin(Shape cls, Background background) => details[$"margin/{WorldSplits.GroupName(cls, background)}"];
        double reliance = (Margin(Shape.Duck, Background.Water) - Margin(Shape.Duck, Background.Land)
                           + Margin(Shape.Bird, Background.Land) - Margin(Shape.Bird, Background.Water)) / 2;
        Assert.Equal(figures.Single(f => f.Name == "world-background-reliance").Value, reliance, 9);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoint.safetensors")));
    }
}
