using Actors.Analysis.Patches;
using Actors.GpuHost.Plots;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>Job kind "masking": seed 002 Sec. 4.1 top-k latent masking over the vocabulary's classes.</summary>
public sealed class MaskingJobHandler(EvaluationInputs inputs) : IJobHandler
{
    public string Kind => EvaluationKinds.Masking;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<MaskingParameters>();
        var (model, target) = await inputs.ModelAsync(p.SaeId);
        var prompts = await inputs.PromptsAsync(p.VocabularyId, target.Record.ModelId);
        bool IsClass(string label) => prompts.IndexOf(label) >= 0;
        var evaluation = await EvaluationInputs.EncodeAsync(model, await inputs.ImagesAsync(p.CorpusId, IsClass, p.MaxImages, p.Seed),
            context, "encode corpus", cancellationToken);
        var selection = p.ReferenceCorpusId is null || p.ReferenceCorpusId == p.CorpusId ? evaluation : await EvaluationInputs.EncodeAsync(model,
            await inputs.ImagesAsync(p.ReferenceCorpusId, IsClass, p.MaxImages, p.Seed), context, "encode reference", cancellationToken);
        var ks = p.Ks ?? TopKMasking.DefaultKs(model.LatentCount);
        var report = await Task.Run(() => MaskingService.Run(model, selection, evaluation, prompts, ks, p.Seed, p.Threshold,
            (stage, done, total) => context.Report(done, total, stage), cancellationToken), cancellationToken);
        return new JobOutcome(JobContext.ToJson(report), EvaluationPlots.Masking(report));
    }
}
