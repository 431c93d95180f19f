using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Concepts;

/// <summary>One text concept, key "{vocabulary}/{concept}".</summary>
[Alias("actors.IConceptGrain")]
public interface IConceptGrain : IGrainWithStringKey
{
    Task RegisterAsync(string text, float[] embedding);
    Task SetAlignedLatentsAsync(AlignedLatent[] latents);
    /// <summary>Adds the a_c[s] contributions of batches batchId .. + batchCount − 1 for an SAE; false when those were merged before.</summary>
    Task<bool> MergeClassActivationsAsync(string saeId, string corpusId, long batchId, int batchCount, ClassActivations activations);
    Task<ConceptView> GetAsync();
}
