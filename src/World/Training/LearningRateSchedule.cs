namespace Actors.World.Training;

/// <summary>
/// Linear warm-up to PeakRate over WarmupSteps, then cosine decay to MinRate at TotalSteps (CLIP paper Sec. 2.5:
/// "cosine schedule"; Loshchilov &amp; Hutter 2017, SGDR Eq. 5 without restarts). A schedule may start at a later step
/// (<paramref name="StartStep"/>, a fine-tuning stage of a trained model): warm-up and cosine then run from there, and
/// steps before it get the first warm-up rate.
/// </summary>
public sealed record LearningRateSchedule(float PeakRate, int WarmupSteps, int TotalSteps, float MinRate = 0f, int StartStep = 0)
{
    /// <summary>Rate for 0-based step index.</summary>
    public float At(int step)
    {
        step = Math.Max(0, step - StartStep);
        int total = TotalSteps - StartStep;
        if (step < WarmupSteps) return PeakRate * (step + 1) / WarmupSteps;
        if (step >= total) return MinRate;
        double progress = (step - WarmupSteps) / (double)Math.Max(1, total - WarmupSteps);
        return (float)(MinRate + 0.5 * (PeakRate - MinRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}
