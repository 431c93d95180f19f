using Actors.Grains.Hosts;
using Orleans.Runtime;

namespace Actors.Api.Hosting;

/// <summary>
/// The model host grain, which only GPU-host silos have (Orleans places it there by that). Until a host has joined the
/// cluster and this client's view of the cluster's grain classes includes it, Orleans cannot make a reference and
/// throws ArgumentException ("Could not find an implementation"). That is a host not available yet, answered as a
/// 503 (a transient <see cref="SiloUnavailableException"/>) that the caller retries, not a server error.
/// </summary>
public static class ModelHost
{
    public static IModelHostGrain Of(IGrainFactory grains)
    {
        try { return grains.GetGrain<IModelHostGrain>(IModelHostGrain.Key); }
        catch (ArgumentException e)
        {
            throw new SiloUnavailableException($"no GPU host is in the cluster yet (or this API has not yet seen it join): {e.Message}");
        }
    }
}
