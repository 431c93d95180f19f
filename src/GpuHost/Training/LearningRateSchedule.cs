namespace Actors.GpuHost.Training;

/// <summary>
/// Linear warm-up to PeakRate over WarmupSteps, then cosine decay to MinRate at TotalSteps (CLIP paper Sec. 2.5:
/// "cosine schedule"; Loshchilov &amp; Hutter 2017, SGDR Eq. 5 without restarts).
/// </summary>
public sealed record LearningRateSchedule(float PeakRate, int WarmupSteps, int TotalSteps, float MinRate = 0f)
{
    /// <summary>Rate for 0-based step index.</summary>
    public float At(int step)
    {
        if (step < WarmupSteps) return PeakRate * (step + 1) / WarmupSteps;
        if (step >= TotalSteps) return MinRate;
        double progress = (step - WarmupSteps) / (double)Math.Max(1, TotalSteps - WarmupSteps);
        return (float)(MinRate + 0.5 * (PeakRate - MinRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}
