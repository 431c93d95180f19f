using Actors.Grains.Messages;
using Orleans;

namespace Actors.Grains.Latents;

/// <summary>One SAE latent, key "{sae}/{latent}": its statistics, reference images, labels and analyses.</summary>
[Alias("actors.ILatentGrain")]
public interface ILatentGrain : IGrainWithStringKey
{
    /// <summary>Merges one batch's delta; false when that batch was merged before (idempotent re-delivery).</summary>
    Task<bool> MergeAsync(LatentDelta delta);
    /// <summary>Persists any merged-but-unwritten state; ingestion calls it before advancing its checkpoint.</summary>
    Task FlushAsync();
    /// <summary>The latent's view; the grain hands out the same instance until its state or the SAE's totals change.</summary>
    Task<LatentView> GetAsync();
    Task SetSemanticLabelsAsync(SemanticLabeling labels);
    Task SetLogitLensAsync(LogitLensResult result);
}
