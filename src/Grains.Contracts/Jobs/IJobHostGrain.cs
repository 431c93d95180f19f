using Orleans;

namespace Actors.Grains.Jobs;

/// <summary>A GPU host's job queue (a stateless worker on host silos): wakes a host for a newly submitted job.</summary>
[Alias("actors.IJobHostGrain")]
public interface IJobHostGrain : IGrainWithIntegerKey
{
    Task EnqueueAsync(string jobId);
}
