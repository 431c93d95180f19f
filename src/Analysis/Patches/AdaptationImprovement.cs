namespace Actors.Analysis.Patches;

/// <summary>Seed 002 Sec. 4.2.1: the improvement rate Δ = (adapted − zero-shot) / (100 − zero-shot), accuracies in percent.</summary>
public static class AdaptationImprovement
{
    public static double Rate(double zeroShotPercent, double adaptedPercent)
    {
        if (zeroShotPercent >= 100) throw new ArgumentException("Δ is undefined when the zero-shot accuracy is already 100 %");
        return (adaptedPercent - zeroShotPercent) / (100 - zeroShotPercent);
    }
}
