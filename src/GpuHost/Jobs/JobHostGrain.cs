using Actors.Grains.Jobs;
using Orleans;
using Orleans.Concurrency;

namespace Actors.GpuHost.Jobs;

/// <summary>
/// Wakes this host's job runner for a job. A stateless worker: an activation on each host silo that is asked, and only
/// host silos have its class, so a wake-up always reaches a GPU host.
/// </summary>
[StatelessWorker(1)]
[GrainType("job-host")]
public sealed class JobHostGrain(JobRunner runner) : Grain, IJobHostGrain
{
    public Task EnqueueAsync(string jobId)
    {
        runner.Wake(jobId);
        return Task.CompletedTask;
    }
}
