using Actors.Analysis.Steering;
using Actors.Grains.Steering;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>The concepts a steering result shows: largest ΔP_f (Eq. 4, with the change's sign) and largest P(v|f); ties by vocabulary order.</summary>
public static class ConceptRanking
{
    public const int Shown = 10;

    public static ConceptShift[] TopShifts(FeatureSteerability f, IReadOnlyList<string> concepts, int count = Shown) =>
        Enumerable.Range(0, concepts.Count).OrderByDescending(v => Math.Abs(f.MeanChange[v])).ThenBy(v => v).Take(count)
            .Select(v => new ConceptShift(concepts[v], f.MeanChange[v])).ToArray();

    public static ConceptProbability[] TopSteered(FeatureSteerability f, IReadOnlyList<string> concepts, int count = Shown) =>
        Enumerable.Range(0, concepts.Count).OrderByDescending(v => f.SteeredDistribution[v]).ThenBy(v => v).Take(count)
            .Select(v => new ConceptProbability(concepts[v], f.SteeredDistribution[v])).ToArray();
}
