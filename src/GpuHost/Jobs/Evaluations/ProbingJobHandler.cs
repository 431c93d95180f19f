using Actors.GpuHost.Plots;
using Actors.Grains.Evaluations;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Job kind "probing": seed 000 Sec. 5.3 / App. D.2 — the class's failure detection (not stored; the failure-detection
/// job stores it), then spurious and valid AUC of the class prompt, the templated prompt (App. D.2's prober (2), embedded
/// here with the SAE's model's text tower) and a linear probe for each flagged latent.
/// </summary>
public sealed class ProbingJobHandler(EvaluationInputs inputs) : IJobHandler
{
    public string Kind => EvaluationKinds.Probing;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<ProbingParameters>();
        var (run, model, reference, searched, classPrompt) = await FailureDetectionJobHandler.DetectAsync(inputs, context, p.Detection, cancellationToken);
        context.Report(0, 1, "probe");
        var report = await Task.Run(() => ProbingService.Run(reference, searched, p.ClassLabel, classPrompt,
            inputs.TemplatedPrompt(model.Model, p.ClassLabel), run), cancellationToken);
        context.Report(1, 1, "probe");
        return new JobOutcome(JobContext.ToJson(new ProbingResult(run, report)), EvaluationPlots.Probing(report));
    }
}

/// <summary>The "probing" job's result: the failure detection it probed, and the probing.</summary>
public sealed record ProbingResult(ClassFailureModes Detection, ProbingReport Probing);
