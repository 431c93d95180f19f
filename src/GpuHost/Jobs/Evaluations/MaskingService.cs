using Actors.Analysis.Gradients;
using Actors.Analysis.Patches;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 002 Sec. 4.1 top-k latent masking. Class-level activations a_c (Eq. 4-5, tokens above τ) come from the selection
/// set; each class's evaluation images are classified zero-shot among the class prompts with the hooked rows replaced by
/// the SAE reconstruction from the latents the class's mask keeps (decode(a ⊙ m), <see cref="LatentEdits"/>), the forward
/// continuing from there. Masks: the class's top-k latents, k random ones (seeded per class) or the dataset's top-k,
/// each on (only those) and off (all but those), for every k.
/// </summary>
public static class MaskingService
{
    public static MaskingReport Run(EvaluationModel model, EncodedSamples selection, EncodedSamples evaluation, ClassPrompts prompts,
        IReadOnlyList<int> ks, ulong seed = 0, float threshold = ImageLevelActivation.DefaultThreshold,
        Action<string, int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var chosen = Enumerable.Range(0, selection.Count).Where(i => prompts.IndexOf(selection.Labels[i]) >= 0).ToArray();
        if (chosen.Length == 0) throw new ArgumentException("no selection image is of one of the classes");
        var activations = ClassLevelActivations.FromImages(
            chosen.Select(i => ImageLevelActivation.FromTokens(selection.Decompositions[i].Activations, threshold)).ToArray(),
            chosen.Select(i => prompts.IndexOf(selection.Labels[i])).ToArray(), prompts.Count);

        var byClass = Enumerable.Range(0, prompts.Count)
            .Select(c => Enumerable.Range(0, evaluation.Count).Where(i => evaluation.Labels[i] == prompts.Labels[c]).ToArray()).ToArray();
        if (byClass.All(c => c.Length == 0)) throw new ArgumentException("no evaluation image is of one of the classes");
        var gradient = new HookGradient(model.NewVision(), model.Model.Weights.Vision, model.Hook);
        int Predict(ReadOnlySpan<float> embedding)
        {
            int best = 0; double bestScore = double.NegativeInfinity;
            for (int c = 0; c < prompts.Count; c++)
            {
                double y = ImageTextScore.Cosine(embedding, prompts.Embeddings[c]);
                if (y > bestScore) (best, bestScore) = (c, y);
            }
            return best;
        }
        ClassAccuracy Evaluate(int c, bool[] kept)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int correct = 0;
            foreach (int i in byClass[c])
            {
                var rows = LatentEdits.MaskedReconstruction(evaluation.Decompositions[i], kept);
                correct += Predict(gradient.Embedding(evaluation.Hooked[i], rows)) == c ? 1 : 0;   // the forward continued from the masked rows
            }
            return new ClassAccuracy(correct, byClass[c].Length);
        }

        int evaluated = byClass.Sum(c => c.Length);
        int original = byClass.Select((images, c) => images.Count(i => Predict(evaluation.Embeddings[i]) == c)).Sum();
        var all = Enumerable.Repeat(true, model.LatentCount).ToArray();
        int reconstructed = Enumerable.Range(0, prompts.Count).Sum(c => Evaluate(c, all).Correct);

        var curves = new List<MaskingCurveView>();
        foreach (var selectionKind in Enum.GetValues<LatentSelection>())
            foreach (var mode in Enum.GetValues<MaskMode>())
            {
                progress?.Invoke("masking", curves.Count, 6);
                var curve = TopKMasking.Run(activations, selectionKind, mode, ks, (c, mask) => Evaluate(c, mask.Kept), seed);
                curves.Add(new MaskingCurveView(Name(selectionKind), mode.ToString().ToLowerInvariant(), curve.Points));
            }
        progress?.Invoke("masking", 6, 6);
        return new MaskingReport(prompts.Count, chosen.Length, evaluated, (double)original / evaluated, (double)reconstructed / evaluated,
            [.. ks], [.. curves]);
    }

    /// <summary>Names as the results and claims print them: class, random, dataset.</summary>
    public static string Name(LatentSelection selection) => selection switch
    {
        LatentSelection.ClassTopK => "class", LatentSelection.RandomK => "random", LatentSelection.DatasetTopK => "dataset",
        _ => throw new ArgumentOutOfRangeException(nameof(selection)),
    };
}

/// <summary>
/// Seed 002 Fig. 5b over one image set: zero-shot accuracy of the unedited model (Original), with the SAE's full
/// reconstruction ("on all", Reconstruction), and per selection (class, random, dataset) and mode (on, off) against k.
/// </summary>
public sealed record MaskingReport(int Classes, int SelectionImages, int EvaluationImages, double OriginalAccuracy,
    double ReconstructionAccuracy, int[] Ks, MaskingCurveView[] Curves);

public sealed record MaskingCurveView(string Selection, string Mode, MaskingPoint[] Points);
