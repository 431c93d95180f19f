using Actors.Grains.Hosts;
using Orleans;
using Orleans.Concurrency;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Hands accepted ingestion requests to this host's queue. A stateless worker: an activation per host silo that is
/// asked, each on the silo it runs on, so the request runs where the model and the hardware are.
/// </summary>
[StatelessWorker(1)]
[GrainType("ingestion-host")]
public sealed class IngestionHostGrain(IIngestionQueue queue) : Grain, IIngestionHostGrain
{
    public Task EnqueueAsync(IngestionRequest request) => queue.EnqueueAsync(request).AsTask();
}
