using Actors.Analysis.Evaluation.Probing;
using Actors.Grains.Evaluations;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 Sec. 5.3 and App. D.2 for the failure modes one failure detection flagged: per flagged latent, its
/// distractors are the high-confidence non-class images on which it stood out (the benchmark sets of Sec. 5.3).
/// App. D.2's three probers score the searched set: (1) the class prompt, y(x, t_c) (Eq. 4); (2) the templated prompt,
/// the class name's embedding averaged over "{c}", "an image of a {c}", "a {c}" (<see cref="TemplatedPrompts"/>); (3) an
/// L2 logistic-regression probe on the image embeddings, trained class vs. rest on the reference and searched sets
/// together (App. D.2 trains its linear classifiers on the evaluation set too). Spurious AUC: class images vs. the
/// mode's distractors; valid AUC: class images vs. every other non-class image (null when there is none).
/// </summary>
public static class ProbingService
{
    public static ProbingReport Run(EncodedSamples reference, EncodedSamples searched, string classLabel, float[] classPrompt,
        float[] templatedPrompt, ClassFailureModes failureModes, LogisticProbeOptions? probeOptions = null)
    {
        var positives = Enumerable.Range(0, searched.Count).Where(i => searched.Labels[i] == classLabel).ToArray();
        if (positives.Length == 0) throw new ArgumentException($"the searched set holds no image of class '{classLabel}': an AUROC needs them");
        var training = EncodedSamples.Concat(reference, searched);
        var probe = LogisticProbeTrainer.Train(training.Embeddings, training.Labels.Select(l => l == classLabel).ToArray(), probeOptions);
        var text = TextPromptScores.Cosine(classPrompt, searched.Embeddings);
        var templated = TextPromptScores.Cosine(templatedPrompt, searched.Embeddings);
        var linear = probe.Scores(searched.Embeddings);
        var index = Enumerable.Range(0, searched.Count).ToDictionary(i => searched.ImageIds[i], StringComparer.Ordinal);

        var modes = failureModes.Flagged.Select(f =>
        {
            var distractors = f.Samples.Select(s => index.TryGetValue(s.ImageId, out int i) ? i
                : throw new ArgumentException($"flagged image '{s.ImageId}' is not in the searched set")).ToHashSet();
            var valid = Enumerable.Range(0, searched.Count).Where(i => searched.Labels[i] != classLabel && !distractors.Contains(i)).ToArray();
            return new ProbedFailureMode(f.Latent, distractors.Count, valid.Length,
                Aucs(text, positives, distractors, valid), Aucs(linear, positives, distractors, valid), Aucs(templated, positives, distractors, valid));
        }).ToArray();
        return new ProbingReport(classLabel, positives.Length, searched.Count - positives.Length, training.Count, probe.Iterations,
            probe.GradientNorm, modes);
    }

    static ProberAuc Aucs(double[] scores, int[] positives, IEnumerable<int> spurious, int[] valid)
    {
        var classScores = positives.Select(i => scores[i]).ToArray();
        return new ProberAuc(Auroc.Compute(classScores, spurious.Select(i => scores[i]).ToArray()),
            valid.Length == 0 ? null : Auroc.Compute(classScores, valid.Select(i => scores[i]).ToArray()));
    }
}

/// <summary>The probing of one class's flagged failure modes; ProbeIterations and ProbeGradientNorm say how the probe's training ended.</summary>
public sealed record ProbingReport(string ClassLabel, int ClassImages, int NonClassImages, int ProbeTrainingImages, int ProbeIterations,
    double ProbeGradientNorm, ProbedFailureMode[] FailureModes);

/// <summary>One flagged latent's distractors against the class's images, for the class prompt, the linear probe and the templated prompt.</summary>
public sealed record ProbedFailureMode(int Latent, int Distractors, int ValidNegatives, ProberAuc TextPrompt, ProberAuc LinearProbe,
    ProberAuc TemplatedPrompt);

public sealed record ProberAuc(double SpuriousAuc, double? ValidAuc);
