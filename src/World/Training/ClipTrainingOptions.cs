namespace Actors.World.Training;

/// <summary>Optimisation settings; defaults follow CLIP (Radford et al. 2021, Sec. 2.5 and Table 19) scaled to a small run.</summary>
public sealed record ClipTrainingOptions(
    int Steps, int Batch, int Seed,
    float PeakLearningRate = 5e-4f, int WarmupSteps = 100, float MinLearningRate = 1e-5f,
    float WeightDecay = 0.2f, float MaxGradientNorm = 1f, int CheckpointEvery = 250, int ScheduleFrom = 0)
{
    /// <summary>Warm-up then cosine from <see cref="ScheduleFrom"/> (0, or the step a fine-tuning stage starts at) to Steps.</summary>
    public LearningRateSchedule Schedule => new(PeakLearningRate, Math.Min(WarmupSteps, Steps - ScheduleFrom), Steps, MinLearningRate, ScheduleFrom);
}

/// <summary>What one optimiser step measured.</summary>
public readonly record struct StepReport(int Step, float Loss, float Accuracy, float GradientNorm, float LearningRate, float LogitScale);
