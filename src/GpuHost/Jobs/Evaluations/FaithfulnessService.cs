using Actors.Analysis.Evaluation.Faithfulness;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 Sec. 5.1 and App. B.2 on encoded samples: every sample is explained for its own class prompt; latents are
/// deleted (inserted) by editing its SAE activations at the hook and continuing the forward with the error term kept,
/// h' = decode(a') + ε (<see cref="LatentEdits"/>). Local orders come from the sample's relevance, global ones from the
/// mean relevance over its class (App. B.2 "Deletion (global)"). Samples are laid out class after class, so each of
/// the 9 subsets (index mod 9) spans every class.
/// </summary>
public static class FaithfulnessService
{
    /// <param name="progress">(method, samples done, samples total), per method</param>
    public static FaithfulnessReport Run(EvaluationModel model, EncodedSamples samples, ClassPrompts prompts, ulong seed,
        FaithfulnessOptions? options = null, IReadOnlyList<string>? methods = null, Action<string, int, int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= FaithfulnessOptions.Default;
        methods ??= FaithfulnessMethods.All;
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
            string label = FaithfulnessMethods.Label(method);
            results.Add(new MethodFaithfulness(method, label,
                FaithfulnessCurve.From(FaithfulnessEvaluation.LocalDeletion(label, relevance, deletion, options)),
                FaithfulnessCurve.From(FaithfulnessEvaluation.GlobalDeletion(label, relevance, classOf, deletion, options)),
                FaithfulnessCurve.From(FaithfulnessEvaluation.LocalInsertion(label, relevance, insertion, options))));
        }
        return new FaithfulnessReport(order.Length, classOf.Distinct().Count(), options.Steps, options.Subsets, options.AreaRule.ToString(),
            [.. results], [.. samples.Skipped]);
    }
}
