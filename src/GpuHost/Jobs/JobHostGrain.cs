using Actors.Grains.Jobs;
using Orleans;
using Orleans.Concurrency;

namespace Actors.GpuHost.Jobs;

/// <summary>Wakes this host's job runner for a job (a stateless worker per host silo, like the ingestion host grain).</summary>
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
