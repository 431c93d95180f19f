using Actors.GpuHost.Plots;
using Actors.Grains.Evaluations;
using Orleans;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Job kind "failure-detection": seed 000 App. D.1 for one class; the run is stored per class and shown on each flagged
/// latent (<see cref="FailureModesPublisher"/>).
/// </summary>
public sealed class FailureDetectionJobHandler(EvaluationInputs inputs, IGrainFactory grains) : IJobHandler
{
    public string Kind => EvaluationKinds.FailureDetection;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<FailureDetectionParameters>();
        var (run, _, _, _, _) = await DetectAsync(inputs, context, p, cancellationToken);
        await FailureModesPublisher.PublishAsync(grains, run);
        return new JobOutcome(JobContext.ToJson(run), EvaluationPlots.FailureModes(run));
    }

    /// <summary>The detection the failure-detection and probing jobs share; also returns the model, the two encoded sets and the class prompt.</summary>
    internal static async Task<(ClassFailureModes Run, EvaluationModel Model, EncodedSamples Reference, EncodedSamples Searched, float[] ClassPrompt)> DetectAsync(
        EvaluationInputs inputs, JobContext context, FailureDetectionParameters p, CancellationToken cancellationToken)
    {
        var (model, target) = await inputs.ModelAsync(p.SaeId);
        var prompts = await inputs.PromptsAsync(p.VocabularyId, target.Record.ModelId);
        var classPrompt = prompts.Of(p.ClassLabel);
        var searched = await EvaluationInputs.EncodeAsync(model,
            await inputs.ImagesAsync(p.CorpusId, _ => true, p.MaxImages, p.Seed), context, "encode corpus", cancellationToken);
        string referenceCorpus = p.ReferenceCorpusId ?? p.CorpusId;
        var reference = referenceCorpus == p.CorpusId ? searched : await EvaluationInputs.EncodeAsync(model,
            await inputs.ImagesAsync(referenceCorpus, label => label == p.ClassLabel, p.MaxImages, p.Seed), context, "encode reference", cancellationToken);
        var empty = inputs.EmptyPrompt(model.Model);
        var run = await Task.Run(() => FailureDetectionService.Run(model, reference, searched, p.ClassLabel, classPrompt, empty,
            new FailureDetectionScope(p.SaeId, p.CorpusId, referenceCorpus, context.JobId), p.Settings,
            (stage, done, total) => context.Report(done, total, stage), cancellationToken), cancellationToken);
        return (run, model, reference, searched, classPrompt);
    }
}
