using Actors.GpuHost.Plots;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>Job kind "shared-sae": seed 002 Sec. 4.2, one SAE's latents on two backbones over one corpus's labelled images.</summary>
public sealed class SharedSaeJobHandler(EvaluationInputs inputs) : IJobHandler
{
    public string Kind => EvaluationKinds.SharedSae;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<SharedSaeParameters>();
        var (before, _) = await inputs.ModelAsync(p.SaeId);
        var (after, _) = await inputs.ModelAsync(p.OtherSaeId);
        if (before.Sae.DSae != after.Sae.DSae)
            throw new ArgumentException($"otherSaeId: SAE '{p.OtherSaeId}' has {after.Sae.DSae} latents, '{p.SaeId}' {before.Sae.DSae}; a shared SAE has one latent space");
        var images = await inputs.ImagesAsync(p.CorpusId, _ => true, p.MaxImages, p.Seed);
        var first = await EvaluationInputs.EncodeAsync(before, images, context, $"encode with {p.SaeId}", cancellationToken);
        var second = await EvaluationInputs.EncodeAsync(after, images, context, $"encode with {p.OtherSaeId}", cancellationToken);
        var report = SharedSaeService.Run(first, second, p.UpperRank, p.LowerRank, p.Threshold);
        return new JobOutcome(JobContext.ToJson(report), EvaluationPlots.SharedSae(report));
    }
}
