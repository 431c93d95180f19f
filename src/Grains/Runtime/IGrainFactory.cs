namespace Actors.Grains.Runtime;

/// <summary>Returns a reference to a grain; the grain is activated on its first call.</summary>
public interface IGrainFactory
{
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;
}
