namespace Actors.Grains.Runtime;

/// <summary>Marker for grain interfaces (Orleans's programming model: virtual actors).</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key, e.g. a latent "sae/123" or a concept "vocab/dog".</summary>
public interface IGrainWithStringKey : IGrain;
