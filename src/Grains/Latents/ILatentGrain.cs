using Actors.Grains.Messages;
using Actors.Grains.Runtime;

namespace Actors.Grains.Latents;

/// <summary>One SAE latent, key "{sae}/{latent}": its statistics, reference images, labels and analyses.</summary>
public interface ILatentGrain : IGrainWithStringKey
{
    /// <summary>Merges one batch's delta; false when that batch was merged before (idempotent re-delivery).</summary>
    Task<bool> MergeAsync(LatentDelta delta);
    /// <summary>Persists any merged-but-unwritten state; ingestion calls it before advancing its checkpoint.</summary>
    Task FlushAsync();
    /// <summary>The latent's view, cached by the grain; runs on the caller's thread when the grain is idle.</summary>
    [InlineWhenIdle]
    Task<LatentView> GetAsync();
    Task SetSemanticLabelsAsync(SemanticLabeling labels);
    Task SetLogitLensAsync(LogitLensResult result);
}
