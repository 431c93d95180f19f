using Actors.Analysis.Steering;
using Actors.World.Training;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Seed 001 Sec. 7.2's figures without and with a suppression: accuracy on the clean images (the paper's clean
/// accuracy drop) and on the words images (Table 2's figure), the flip rate (<see cref="TypographicFlips.FlipRate"/>),
/// and, where written classes are known, the written-class rate: among pairs whose written class is not the truth,
/// the fraction predicted as the written class (the attack's success); null when there are none.
/// </summary>
public sealed record TypographicFigures(BeforeAfter CleanAccuracy, BeforeAfter WordsAccuracy, BeforeAfter FlipRate, BeforeAfter? WrittenClassRate);

/// <summary>
/// Image pairs — one image with written words and the same image without — classified zero-shot over the model's
/// vocabulary with CLIP as it is and with the suppression splice, a batch of pairs at a time. The
/// "typographic-defence" job and world-claims both run it.
/// </summary>
public sealed class TypographicEvaluation(SteeringModel model, SteeringSplice splice)
{
    readonly List<int> truth = [], written = [], cleanBefore = [], cleanAfter = [], wordsBefore = [], wordsAfter = [];

    public int Pairs => truth.Count;

    /// <param name="cleanPixels">The pairs' images without words (n, C, H, W).</param>
    /// <param name="wordsPixels">The same images with their words, in the same order.</param>
    /// <param name="classes">Each pair's true class, an index into the model's vocabulary.</param>
    /// <param name="writtenClasses">Each pair's written class as a vocabulary index, or −1 when unknown.</param>
    public void Add(float[] cleanPixels, float[] wordsPixels, int n, IReadOnlyList<int> classes, IReadOnlyList<int> writtenClasses)
    {
        if (classes.Count != n || writtenClasses.Count != n)
            throw new ArgumentException($"{n} pairs need {n} classes and written classes, found {classes.Count} and {writtenClasses.Count}");
        if (cleanPixels.Length != wordsPixels.Length) throw new ArgumentException("clean and words images must pair up");
        cleanBefore.AddRange(model.Predict(model.Before(cleanPixels, n), n));
        cleanAfter.AddRange(model.Predict(model.After(cleanPixels, n, splice), n));
        wordsBefore.AddRange(model.Predict(model.Before(wordsPixels, n), n));
        wordsAfter.AddRange(model.Predict(model.After(wordsPixels, n, splice), n));
        truth.AddRange(classes);
        written.AddRange(writtenClasses);
    }

    public TypographicFigures Result() => new(
        new BeforeAfter(ZeroShotMetrics.Accuracy(cleanBefore, truth), ZeroShotMetrics.Accuracy(cleanAfter, truth)),
        new BeforeAfter(ZeroShotMetrics.Accuracy(wordsBefore, truth), ZeroShotMetrics.Accuracy(wordsAfter, truth)),
        new BeforeAfter(TypographicFlips.FlipRate(wordsBefore, cleanBefore), TypographicFlips.FlipRate(wordsAfter, cleanAfter)),
        WrittenClassRate());

    BeforeAfter? WrittenClassRate()
    {
        var attacked = Enumerable.Range(0, truth.Count).Where(i => written[i] >= 0 && written[i] != truth[i]).ToArray();
        if (attacked.Length == 0) return null;
        double Rate(List<int> predicted) => attacked.Count(i => predicted[i] == written[i]) / (double)attacked.Length;
        return new BeforeAfter(Rate(wordsBefore), Rate(wordsAfter));
    }
}
