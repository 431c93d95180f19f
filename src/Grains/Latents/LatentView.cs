using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>What a query of one latent returns (seed 002 Sec. 3.2 statistics, references, labels, analyses).</summary>
public sealed record LatentView(
    string SaeId, int Latent,
    long FiringTokens, long FiringImages, double TokenFrequency, double ImageFrequency,
    double MeanActivation, double ActivationVariance, double? MaxActivation,
    int HistogramMinExponent, int HistogramBinsPerDecade, long[] Histogram,
    ReferenceImage[] References,
    Dictionary<string, LabelMass> Labels, double LabelEntropy, double ReferenceLabelEntropy,
    ClassRelevance[] Classes,
    SemanticLabeling? SemanticLabels, LogitLensResult? LogitLens,
    long BatchesApplied)
{
    public static LatentView From(string saeId, int latent, LatentState state, IngestTotals totals)
    {
        var s = state.Sketch;
        var labels = s.Labels();
        var references = s.References.Items.ToArray();   // kept best first
        // Seed 002 Eq. 3 as the paper evaluates it: over the reference images, sum_c = their summed activation.
        double referenceEntropy = LabelCounts.EntropyOf(references.Where(r => r.Label is not null)
            .GroupBy(r => r.Label!, StringComparer.Ordinal).Select(g => g.Sum(r => r.Activation)));
        var classes = totals.ClassImages.Keys.Union(s.Classes.Classes.Keys).Order(StringComparer.Ordinal)
            .Select(label => ClassRelevance.From(label, s.Classes, Math.Max(totals.ImagesOf(label), s.Classes.Classes.GetValueOrDefault(label).Count)))
            .ToArray();
        return new LatentView(saeId, latent,
            s.Firing.FiringTokens, s.Firing.FiringImages, s.Firing.TokenFrequency(totals.Tokens), s.Firing.ImageFrequency(totals.Images),
            s.Activation.Mean, s.Activation.SampleVariance, s.Max.HasValue ? s.Max.Max : null,
            LogHistogram.MinExponent, LogHistogram.BinsPerDecade, (long[])s.Histogram.Counts.Clone(),
            references,
            labels.Labels, labels.Entropy(), referenceEntropy,
            classes, state.SemanticLabels, state.LogitLens,
            state.Ledger.Corpora.Keys.Sum(state.Ledger.AppliedCount));
    }
}
