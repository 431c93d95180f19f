using System.Diagnostics;
using Actors.World.Training;
using Spectre.Console;

namespace Actors.GpuHost.Cli;

/// <summary>Runs a trainer under a Spectre.Console progress bar that shows loss, in-batch accuracy and speed.</summary>
public static class TrainingProgress
{
    /// <summary>Trains to the end; every step's report also goes to <paramref name="log"/> (e.g. a CSV writer).</summary>
    public static void Run(ClipTrainer trainer, string? checkpointPath, Action<StepReport>? log = null)
    {
        int total = trainer.Options.Steps;
        var clock = Stopwatch.StartNew();
        int startStep = trainer.Step;
        double smoothLoss = double.NaN, smoothAccuracy = double.NaN;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: total);
                task.Value = trainer.Step;
                trainer.Run(checkpointPath, r =>
                {
                    // exponential moving averages: single batches are noisy
                    smoothLoss = double.IsNaN(smoothLoss) ? r.Loss : 0.95 * smoothLoss + 0.05 * r.Loss;
                    smoothAccuracy = double.IsNaN(smoothAccuracy) ? r.Accuracy : 0.95 * smoothAccuracy + 0.05 * r.Accuracy;
                    double rate = (r.Step - startStep) / clock.Elapsed.TotalSeconds;
                    task.Description = $"step {r.Step}/{total} loss {smoothLoss:F3} acc {smoothAccuracy:P0} lr {r.LearningRate:E1} scale {MathF.Exp(r.LogitScale):F1} {rate:F2} step/s";
                    task.Value = r.Step;
                    log?.Invoke(r);
                });
            });
    }
}
