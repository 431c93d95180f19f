using Actors.Grains.Hosts;

namespace Actors.GpuHost.Ingestion;

/// <summary>Accepts ingestion requests; they run in the background, in order, up to the configured concurrency.</summary>
public interface IIngestionQueue
{
    ValueTask EnqueueAsync(IngestionRequest request, CancellationToken cancellationToken = default);
}
