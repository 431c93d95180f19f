using Actors.Sae.Training;
using Spectre.Console;

namespace Actors.GpuHost.Cli;

/// <summary>Trains an SAE under a Spectre.Console progress bar showing loss, explained variance, L0 and dead latents;
/// each checkpoint is also announced on stderr (a line per checkpoint, readable when the bar is not rendered).</summary>
public static class SaeTrainingProgressBar
{
    public static SaeTrainingProgress? Run(SaeTrainer trainer, IActivationSource source)
    {
        SaeTrainingProgress? last = null;
        long every = trainer.Training.CheckpointEverySteps;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("SAE", maxValue: Math.Max(1, trainer.TotalSteps));
                task.Value = trainer.Step;
                last = trainer.Train(source, new Inline<SaeTrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    task.Description = $"SAE step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} EV {p.ExplainedVariance:F3} L0 {p.MeanL0:F1} dead {p.DeadFraction:P1}";
                    if (every > 0 && p.Step % every == 0) Console.Error.WriteLine($"checkpoint: step {p.Step} of {p.TotalSteps}");
                }));
                task.Value = task.MaxValue;
            });
        return last;
    }

    /// <summary>Reports on the training thread, in order (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
