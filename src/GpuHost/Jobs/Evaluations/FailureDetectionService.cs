using Actors.Analysis.Alignment;
using Actors.Analysis.Evaluation.ConceptReliance;
using Actors.Analysis.Gradients;
using Actors.Analysis.Relevance;
using Actors.Grains.Evaluations;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 Sec. 4.2 and App. D.1 for one class c with prompt t_c. Expectations: Act×Grad relevance R_j(x, t_c) (Eq. 29)
/// over the class's samples of the reference set gives μ_j, σ̂_j, and their outputs y(x, t_c) the high-confidence bar
/// mean − 1.5 sd. Candidates: the non-class samples of the searched set whose output clears the bar; on each, every
/// latent gets Eq. 8's z-score, and a latent active with z &gt; 3 on at least 10 of them is flagged. Hidden concepts
/// (Eq. 7): mean relevance over the class's samples ≥ τ_rel and s_j(t_c) ≤ τ_align, with s_j over the latent's most
/// activating samples of both sets. The reference and searched sets may be one (a corpus against itself).
/// </summary>
public static class FailureDetectionService
{
    const int NearMisses = 10;

    /// <param name="progress">(stage, done, total)</param>
    public static ClassFailureModes Run(EvaluationModel model, EncodedSamples reference, EncodedSamples candidates, string classLabel,
        float[] classPrompt, float[] emptyPrompt, FailureDetectionScope scope, FailureDetectionSettings? settings = null,
        Action<string, int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        settings ??= FailureDetectionSettings.Default;
        var attributor = model.NewAttributor();
        var method = new ActTimesGradient();
        float[] Relevance(EncodedSamples set, int s) => FaithfulnessMethods.Dense(
            method.Attribute(new AttributionInput(attributor.Gradient, attributor.Lens, set.Decompositions[s], classPrompt)), model.LatentCount);
        double Score(EncodedSamples set, int s) => ImageTextScore.Cosine(set.Embeddings[s], classPrompt);

        var own = Enumerable.Range(0, reference.Count).Where(i => reference.Labels[i] == classLabel).ToArray();
        if (own.Length < 2) throw new ArgumentException($"the reference set holds {own.Length} sample(s) of class '{classLabel}'; Eq. 8 needs at least two");
        var ownRelevance = new List<float[]>();
        for (int i = 0; i < own.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ownRelevance.Add(Relevance(reference, own[i]));
            progress?.Invoke("reference", i + 1, own.Length);
        }
        var profile = ClassRelevanceProfile.FromSamples(ownRelevance, own.Select(i => Score(reference, i)).ToArray());

        double threshold = profile.ScoreThreshold(settings.ScoreMargin);
        var others = Enumerable.Range(0, candidates.Count).Where(i => candidates.Labels[i] != classLabel).ToArray();
        var high = others.Where(i => Score(candidates, i) > threshold).ToArray();
        var highRelevance = new List<float[]>();
        for (int i = 0; i < high.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            highRelevance.Add(Relevance(candidates, high[i]));
            progress?.Invoke("candidates", i + 1, high.Length);
        }
        var detected = FailureDetection.Detect(0, profile, highRelevance, high.Select(i => Score(candidates, i)).ToArray(),
            high.Select(_ => 1).ToArray(), settings.Detection);

        FailureModeLatent View(FlaggedLatent f) => new(f.Latent,
            [.. f.Samples.Select((s, k) => new FailureSample(candidates.ImageIds[high[s]], candidates.Labels[high[s]], Score(candidates, high[s]),
                highRelevance[s][f.Latent], double.IsFinite(f.ZScores[k]) ? f.ZScores[k] : null))],
            f.ReferenceMean, f.ReferenceStandardDeviation, f.ReferenceNonzeroCount);

        return new ClassFailureModes(scope.SaeId, classLabel, scope.CorpusId, scope.ReferenceCorpusId, scope.JobId,
            own.Length, profile.Scores.Mean, profile.Scores.StandardDeviation, threshold, others.Length,
            [.. high.Select(i => new HighConfidenceImage(candidates.ImageIds[i], candidates.Labels[i], Score(candidates, i)))],
            [.. detected.Flagged.Where(f => f.Samples.Length >= settings.MinSamples).Select(View)],
            [.. detected.Flagged.Where(f => f.Samples.Length < settings.MinSamples).Take(NearMisses).Select(View)],
            HiddenConceptsOf(model, profile, EncodedSamples.Concat(reference, candidates), classLabel, classPrompt, emptyPrompt, settings),
            settings.Thresholds, DateTimeOffset.UtcNow);
    }

    /// <summary>Eq. 7 with R_j the mean Act×Grad relevance over the class's samples and s_j(t_c) of Eq. 2.</summary>
    static HiddenConcept[] HiddenConceptsOf(EvaluationModel model, ClassRelevanceProfile profile, EncodedSamples samples, string classLabel,
        float[] classPrompt, float[] emptyPrompt, FailureDetectionSettings settings)
    {
        var references = LatentReferences.Of(samples, model.LatentCount, settings.ReferenceImages);
        var concept = new ConceptSet([classLabel], classPrompt, classPrompt.Length);
        var relevance = new float[model.LatentCount];
        var alignment = new float[model.LatentCount];
        for (int j = 0; j < relevance.Length; j++)
        {
            relevance[j] = (float)profile.Latents[j].Mean;
            alignment[j] = references.Alignment(j, concept, emptyPrompt) is { } s ? (float)s[0] : float.PositiveInfinity;   // never fired: no alignment
        }
        return [.. HiddenConcepts.Select(relevance, alignment, (float)settings.RelevanceThreshold, (float)settings.AlignmentThreshold)
            .Select(j => new HiddenConcept(j, profile.Latents[j].Mean, alignment[j]))];
    }
}
