using Actors.Analysis.Steering;
using Actors.World.Training;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>Overall and worst-group accuracy without and with a suppression, and every group's.</summary>
public sealed record SuppressionAccuracy(BeforeAfter Accuracy, BeforeAfter WorstGroupAccuracy, GroupAccuracy[] Groups);

/// <summary>
/// Seed 001 Sec. 7.1's evaluation (Table 1), a batch of pixels at a time: zero-shot predictions over the model's
/// vocabulary with CLIP as it is and with the suppression splice (zero ablation of F or F*, error term kept), against
/// each image's true class and group; overall accuracy and worst-group accuracy (Sagawa et al. 2020: the minimum over
/// groups of the accuracy within a group) before and after. The "suppression" job and world-claims both run it.
/// </summary>
public sealed class SuppressionEvaluation(SteeringModel model, SteeringSplice splice)
{
    readonly List<int> truth = [], before = [], after = [];
    readonly List<string> groups = [];

    public int Images => truth.Count;

    /// <param name="pixels">Preprocessed images (n, C, H, W).</param>
    /// <param name="classes">Each image's true class, an index into the model's vocabulary.</param>
    /// <param name="groupOf">Each image's group, e.g. "duck/land" (class × spurious attribute).</param>
    public void Add(float[] pixels, int n, IReadOnlyList<int> classes, IReadOnlyList<string> groupOf)
    {
        if (classes.Count != n || groupOf.Count != n)
            throw new ArgumentException($"{n} images need {n} classes and groups, found {classes.Count} and {groupOf.Count}");
        before.AddRange(model.Predict(model.Before(pixels, n), n));
        after.AddRange(model.Predict(model.After(pixels, n, splice), n));
        truth.AddRange(classes);
        groups.AddRange(groupOf);
    }

    public SuppressionAccuracy Result()
    {
        var (worstBefore, perBefore) = ZeroShotMetrics.WorstGroupAccuracy(before, truth, groups);
        var (worstAfter, perAfter) = ZeroShotMetrics.WorstGroupAccuracy(after, truth, groups);
        var perGroup = perBefore.Keys.Order(StringComparer.Ordinal)
            .Select(g => new GroupAccuracy(g, groups.Count(x => x == g), perBefore[g], perAfter[g])).ToArray();
        return new SuppressionAccuracy(new BeforeAfter(ZeroShotMetrics.Accuracy(before, truth), ZeroShotMetrics.Accuracy(after, truth)),
            new BeforeAfter(worstBefore, worstAfter), perGroup);
    }
}
