using Actors.Grains.Evaluations;
using Actors.Grains.Latents;
using Orleans;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Makes a failure detection queryable: the run is stored per class (IFailureModesGrain "{sae}/{class}"), each flagged
/// latent shows it (its latent grain's failure-mode slot for that class), and latents the class's previous run flagged
/// but this one does not lose their flag.
/// </summary>
public static class FailureModesPublisher
{
    public static async Task PublishAsync(IGrainFactory grains, ClassFailureModes run)
    {
        var previous = await grains.GetGrain<IFailureModesGrain>(IFailureModesGrain.KeyOf(run.SaeId, run.ClassLabel)).SetAsync(run);
        var flagged = run.Flagged.Select(f => f.Latent).ToHashSet();
        foreach (var stale in previous?.Flagged.Select(f => f.Latent).Where(l => !flagged.Contains(l)) ?? [])
            await grains.GetGrain<ILatentGrain>(LatentKey.Of(run.SaeId, stale)).ClearFailureModeAsync(run.ClassLabel);
        foreach (var latent in run.Flagged)
            await grains.GetGrain<ILatentGrain>(LatentKey.Of(run.SaeId, latent.Latent)).SetFailureModeAsync(LatentFailureMode.From(run, latent));
    }
}
