using Orleans;

namespace Actors.Grains.Registry;

/// <summary>One CLIP model, key "{model}".</summary>
[Alias("actors.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    Task RegisterAsync(ModelRecord record);
    /// <summary>The record, or null when no model is registered under this key.</summary>
    Task<ModelRecord?> GetAsync();
}
