using System.Diagnostics;
using Actors.World.Training;

namespace Actors.Benchmarks;

/// <summary>
/// Speed of one CLIP training step (forward, InfoNCE, backward, clipping, AdamW) on the shipped world-clip shape,
/// with random inputs so that only the model is timed (data rendering is measured by the trainer's progress bar).
/// </summary>
public sealed class ClipTrainStepBenchmark : IBenchmark
{
    public string Name => "clip-train-step";
    public string Description => "training steps/s of the world-clip shape (--batch B default 128, --steps N default 5, --vocab V default 1024)";

    public int Run(string[] args)
    {
        int batch = BenchmarkOptions.Int(args, "--batch", 128), steps = BenchmarkOptions.Int(args, "--steps", 5), vocab = BenchmarkOptions.Int(args, "--vocab", 1024);
        var cfg = ClipTrainingConfig.World(vocab);
        var model = new ClipTrainingModel(cfg);
        model.Initialize(1);
        var rng = new Random(2);
        var pixels = Enumerable.Range(0, batch * 3 * cfg.ImageSize * cfg.ImageSize).Select(_ => (float)rng.NextDouble() * 2 - 1).ToArray();
        var ids = Enumerable.Range(0, batch * cfg.ContextLength).Select(_ => rng.Next(vocab)).ToArray();
        var eot = Enumerable.Range(0, batch).Select(_ => rng.Next(cfg.ContextLength)).ToArray();
        var adam = new AdamW(model.Layout.Count);
        void Step()
        {
            model.ForwardBackward(pixels, ids, eot, batch);
            GradientClipping.ClipGlobalNorm(model.Gradients, 1f);
            adam.Update(model.Parameters, model.Gradients, model.Layout.Tensors, 1e-4f);
        }
        Step();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        double perStep = sw.Elapsed.TotalSeconds / steps;
        Console.WriteLine($"config {cfg}");
        Console.WriteLine($"parameters {model.Layout.Count:N0} ({model.Layout.Count * 4 / 1e6:F1} MB float32), batch {batch}, {perStep:F2} s/step, {batch / perStep:F0} samples/s");
        Console.WriteLine($"RESULT name=clip-train-step value={1 / perStep:F3} unit=steps/s");
        return 0;
    }
}
