namespace Actors.Sae.Training;

/// <summary>Linear warm-up from lr/warmup to lr over the first steps, constant, then linear decay to 0 over the
/// last decaySteps (SAELens lr_warm_up_steps / lr_decay_steps; seed 002 App. A.1 uses 500 warm-up steps).</summary>
public static class LearningRateSchedule
{
    public static float At(long step, long totalSteps, float lr, int warmupSteps, int decaySteps)
    {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        long decayStart = totalSteps - decaySteps;
        if (decaySteps > 0 && step >= decayStart) return lr * Math.Max(0, totalSteps - step) / decaySteps;
        return lr;
    }
}
