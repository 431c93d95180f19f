using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// The ingestion queue of a GPU-host silo. Only host silos have its class, so Orleans places it on one of them; the
/// corpus grain hands it the requests it has accepted (one start per corpus at a time, decided in the corpus grain).
/// </summary>
[Alias("actors.IIngestionHostGrain")]
public interface IIngestionHostGrain : IGrainWithIntegerKey
{
    Task EnqueueAsync(IngestionRequest request);
}
