namespace Actors.GpuHost.Ingestion;

/// <summary>Ingest corpus <paramref name="CorpusId"/> through SAE <paramref name="SaeId"/>.</summary>
public sealed record IngestionRequest(string CorpusId, string SaeId);

/// <summary>Accepts ingestion requests; they run in the background, in order, up to the configured concurrency.</summary>
public interface IIngestionQueue
{
    ValueTask EnqueueAsync(IngestionRequest request, CancellationToken cancellationToken = default);
}
