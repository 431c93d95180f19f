using Actors.GpuHost.Plots;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Job kind "faithfulness": seed 000 Sec. 5.1 over a labelled corpus with the vocabulary's class prompts; the random
/// reference images of App. B.2 "Deletion (random)" are a second draw from the same corpus (those already encoded as
/// evaluation images are not encoded again).
/// </summary>
public sealed class FaithfulnessJobHandler(EvaluationInputs inputs) : IJobHandler
{
    public string Kind => EvaluationKinds.Faithfulness;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<FaithfulnessParameters>();
        var (model, target) = await inputs.ModelAsync(p.SaeId);
        var prompts = await inputs.PromptsAsync(p.VocabularyId, target.Record.ModelId);
        var images = await inputs.ImagesAsync(p.CorpusId, label => prompts.IndexOf(label) >= 0, p.MaxImages, p.Seed);
        var samples = await EvaluationInputs.EncodeAsync(model, images, context, "encode", cancellationToken);
        var references = await EvaluationInputs.EncodeReusingAsync(model, await inputs.RandomReferencesAsync(p.CorpusId, p.RandomReferences, p.Seed),
            samples, context, "encode random references", cancellationToken);
        var report = await Task.Run(() => FaithfulnessService.Run(model, samples, prompts, references, p.Seed,
            progress: (method, done, total) => context.Report(done, total, $"relevance: {method}"), cancellationToken: cancellationToken), cancellationToken);
        return new JobOutcome(JobContext.ToJson(report), EvaluationPlots.Faithfulness(report));
    }
}
