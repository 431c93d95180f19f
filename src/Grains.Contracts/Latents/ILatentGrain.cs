using Actors.Grains.Evaluations;
using Actors.Grains.Messages;
using Orleans;

namespace Actors.Grains.Latents;

/// <summary>One SAE latent, key "{sae}/{latent}": its statistics, reference images, labels and analyses.</summary>
[Alias("actors.ILatentGrain")]
public interface ILatentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Merges a delivery (a delta over a range of batches) and stores it before returning, so a merge that returned
    /// is durable; a range merged before changes nothing (Applied false), so the call may be repeated.
    /// </summary>
    Task<LatentMerge> MergeAsync(LatentDelta delta);
    /// <summary>The latent's view; the grain hands out the same instance until its state or the SAE's totals change.</summary>
    Task<LatentView> GetAsync();
    Task SetSemanticLabelsAsync(SemanticLabeling labels);
    /// <summary>Stores labels carried over from the matched latent of the previous SAE version.</summary>
    Task SetCarriedLabelsAsync(SemanticLabeling labels);
    Task SetLogitLensAsync(LogitLensResult result);
    /// <summary>Stores the latent's latest steering-strength sweep (seed 001 Sec. 6.1), shown in its view.</summary>
    Task SetSteeringSweepAsync(Actors.Grains.Steering.SteeringSweep sweep);
    /// <summary>Shows that a failure-detection run flagged this latent for the mode's class (replacing that class's earlier one).</summary>
    Task SetFailureModeAsync(LatentFailureMode mode);
    /// <summary>A later run for the class no longer flags this latent.</summary>
    Task ClearFailureModeAsync(string classLabel);
}
