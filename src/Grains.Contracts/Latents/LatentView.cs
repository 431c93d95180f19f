using Orleans;
using Actors.Grains.Evaluations;
using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>What a query of one latent returns (seed 002 Sec. 3.2 statistics, references, labels, analyses).</summary>
[GenerateSerializer, Immutable, Alias("actors.LatentView")]
public sealed record LatentView(
    [property: Id(0)] string SaeId, [property: Id(1)] int Latent,
    [property: Id(2)] long FiringTokens, [property: Id(3)] long FiringImages, [property: Id(4)] double TokenFrequency, [property: Id(5)] double ImageFrequency,
    [property: Id(6)] double MeanActivation, [property: Id(7)] double ActivationVariance, [property: Id(8)] double? MaxActivation,
    [property: Id(9)] int HistogramMinExponent, [property: Id(10)] int HistogramBinsPerDecade, [property: Id(11)] long[] Histogram,
    [property: Id(12)] ReferenceImage[] References,
    [property: Id(13)] Dictionary<string, LabelMass> Labels, [property: Id(14)] double LabelEntropy, [property: Id(15)] double ReferenceLabelEntropy,
    [property: Id(16)] ClassRelevance[] Classes,
    [property: Id(17)] SemanticLabeling? SemanticLabels, [property: Id(18)] LogitLensResult? LogitLens,
    [property: Id(19)] long BatchesApplied,
    [property: Id(20)] Actors.Grains.Steering.SteeringSweep? SteeringSweep = null,
    [property: Id(21)] LatentFailureMode[]? FailureModes = null,
    [property: Id(22)] SemanticLabeling? CarriedLabels = null)
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
            .Select(label => ClassRelevance.From(label, s.Classes, s.Relevance,
                Math.Max(totals.ImagesOf(label), s.Classes.Classes.GetValueOrDefault(label).Count), totals.RelevanceImagesOf(label)))
            .ToArray();
        return new LatentView(saeId, latent,
            s.Firing.FiringTokens, s.Firing.FiringImages, s.Firing.TokenFrequency(totals.Tokens), s.Firing.ImageFrequency(totals.Images),
            s.Activation.Mean, s.Activation.SampleVariance, s.Max.HasValue ? s.Max.Max : null,
            LogHistogram.MinExponent, LogHistogram.BinsPerDecade, (long[])s.Histogram.Counts.Clone(),
            references,
            labels.Labels, labels.Entropy(), referenceEntropy,
            classes, state.SemanticLabels, state.LogitLens,
            state.Ledger.Corpora.Keys.Sum(state.Ledger.AppliedCount),
            state.SteeringSweep, [.. state.FailureModes.Values.OrderBy(m => m.ClassLabel, StringComparer.Ordinal)], state.CarriedLabels);
    }
}
