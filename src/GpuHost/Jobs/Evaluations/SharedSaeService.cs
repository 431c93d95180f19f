using Actors.Analysis.Patches;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 002 Sec. 4.2 (Table 1, Fig. 17): one SAE read on two backbones over the same images puts both in one latent
/// space; per class, and for the whole set, the latents high on both (High), high on the first only (HighToLow) and
/// high on the second only (LowToHigh), by class-level activations a_c (Eq. 4-5, tokens above τ) and the top-50 /
/// top-100 bounds of <see cref="SharedSaeComparison"/>.
/// </summary>
public static class SharedSaeService
{
    public static SharedSaeReport Run(EncodedSamples before, EncodedSamples after, int upperRank = SharedSaeComparison.UpperRank,
        int lowerRank = SharedSaeComparison.LowerRank, float threshold = ImageLevelActivation.DefaultThreshold)
    {
        if (!before.ImageIds.SequenceEqual(after.ImageIds))
            throw new ArgumentException("the two backbones must be read over the same images in the same order");
        var labels = before.Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length == 0) throw new ArgumentException("no images");
        var classOf = before.Labels.Select(l => Array.IndexOf(labels, l)).ToArray();
        ClassLevelActivations Table(EncodedSamples set) => ClassLevelActivations.FromImages(
            set.Decompositions.Select(d => ImageLevelActivation.FromTokens(d.Activations, threshold)).ToArray(), classOf, labels.Length);
        var (first, second) = (Table(before), Table(after));
        var perClass = SharedSaeComparison.PerClass(first, second, upperRank, lowerRank);
        var dataset = SharedSaeComparison.Classify(first.DatasetLevel(), second.DatasetLevel(), upperRank, lowerRank);
        return new SharedSaeReport(upperRank, lowerRank, threshold, before.Count,
            [.. perClass.Select((g, c) => new SharedSaeClass(labels[c], classOf.Count(k => k == c), g.High, g.HighToLow, g.LowToHigh))],
            SharedSaeComparison.MeanCounts(perClass), new SharedSaeClass("(dataset)", before.Count, dataset.High, dataset.HighToLow, dataset.LowToHigh));
    }
}

/// <summary>Per class the three groups' latents; Mean is Table 1's average count per class; Dataset uses a_D.</summary>
public sealed record SharedSaeReport(int UpperRank, int LowerRank, float Threshold, int Images, SharedSaeClass[] Classes,
    AdaptationGroupCounts Mean, SharedSaeClass Dataset);

public sealed record SharedSaeClass(string Label, int Images, int[] High, int[] HighToLow, int[] LowToHigh);
