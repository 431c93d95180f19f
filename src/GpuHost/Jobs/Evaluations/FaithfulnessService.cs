using Actors.Analysis.Evaluation.Faithfulness;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 Sec. 5.1 and App. B.2 on encoded samples: every sample is explained for its own class prompt; latents are
/// deleted (inserted) by editing its SAE activations at the hook and continuing the forward with the error term kept,
/// h' = decode(a') + ε (<see cref="LatentEdits"/>). Local orders come from the sample's relevance, global ones from the
/// mean relevance over its class (App. B.2 "Deletion (global)"), random-reference ones from the mean relevance for the
/// class's prompt over <c>randomReferences</c>, images drawn at random from the corpus, any class (App. B.2 "Deletion
/// (random)", Fig. 8: a method whose global scores need class samples degrades without them). Samples are laid out
/// class after class, so each of the 9 subsets (index mod 9) spans every class.
/// </summary>
public static class FaithfulnessService
{
    /// <param name="randomReferences">the random reference images of "Deletion (random)"; each is explained for every class's prompt</param>
    /// <param name="progress">(stage, done, total): per method its samples' relevance, then its random references' (classes × references)</param>
    public static FaithfulnessReport Run(EvaluationModel model, EncodedSamples samples, ClassPrompts prompts, EncodedSamples randomReferences,
        ulong seed, FaithfulnessOptions? options = null, IReadOnlyList<string>? methods = null, Action<string, int, int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= FaithfulnessOptions.Default;
        methods ??= FaithfulnessMethods.All;
        if (randomReferences.Count == 0) throw new ArgumentException("random-reference deletion needs at least one reference image (seed 000 App. B.2)");
        var order = Enumerable.Range(0, samples.Count).Where(i => prompts.IndexOf(samples.Labels[i]) >= 0)
            .OrderBy(i => prompts.IndexOf(samples.Labels[i])).ThenBy(i => i).ToArray();
        if (order.Length < options.Subsets)
            throw new ArgumentException($"{order.Length} images with a class prompt cannot fill {options.Subsets} subsets (seed 000 App. B.2)");
        var classOf = order.Select(i => prompts.IndexOf(samples.Labels[i])).ToArray();
        var attributor = model.NewAttributor();
        var relevanceOf = new FaithfulnessMethods(attributor, prompts, seed);

        double Score(int s, float[] rows) => attributor.Gradient.Score(samples.Hooked[order[s]], rows, prompts.Embeddings[classOf[s]]);
        DeletionScorer deletion = (s, deleted) => Score(s, LatentEdits.Deleting(samples.Decompositions[order[s]], deleted));
        InsertionScorer insertion = (s, inserted) => Score(s, LatentEdits.Inserting(samples.Decompositions[order[s]], inserted));

        var results = new List<MethodFaithfulness>();
        foreach (var method in methods)
        {
            var relevance = new float[order.Length][];
            for (int s = 0; s < order.Length; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                relevance[s] = relevanceOf.Relevance(method, order[s], samples.Decompositions[order[s]], classOf[s]);
                progress?.Invoke(method, s + 1, order.Length);
            }
            int referencesDone = 0, referencesTotal = classOf.Distinct().Count() * randomReferences.Count;
            IEnumerable<float[]> ReferenceRelevance(int classIndex)
            {
                for (int r = 0; r < randomReferences.Count; r++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return relevanceOf.ReferenceRelevance(method, r, randomReferences.Decompositions[r], classIndex);
                    progress?.Invoke($"{method} on random references", ++referencesDone, referencesTotal);
                }
            }
            string label = FaithfulnessMethods.Label(method);
            results.Add(new MethodFaithfulness(method, label,
                FaithfulnessCurve.From(FaithfulnessEvaluation.LocalDeletion(label, relevance, deletion, options)),
                FaithfulnessCurve.From(FaithfulnessEvaluation.GlobalDeletion(label, relevance, classOf, deletion, options)),
                FaithfulnessCurve.From(FaithfulnessEvaluation.LocalInsertion(label, relevance, insertion, options)),
                FaithfulnessCurve.From(FaithfulnessEvaluation.RandomDeletion(label, ReferenceRelevance, classOf, deletion, options))));
        }
        return new FaithfulnessReport(order.Length, classOf.Distinct().Count(), options.Steps, options.Subsets, options.AreaRule.ToString(),
            [.. results], [.. samples.Skipped], [.. randomReferences.ImageIds]);
    }
}
