using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Concepts;

/// <summary>One text concept, key "{vocabulary}/{concept}".</summary>
[Alias("actors.IConceptGrain")]
public interface IConceptGrain : IGrainWithStringKey
{
    Task RegisterAsync(string text, float[] embedding);
    Task SetAlignedLatentsAsync(AlignedLatent[] latents);
    /// <summary>Adds one batch's a_c[s] contributions for an SAE; false when that batch was merged before.</summary>
    Task<bool> MergeClassActivationsAsync(string saeId, string corpusId, long batchId, ClassActivations activations);
    Task<ConceptView> GetAsync();
}
