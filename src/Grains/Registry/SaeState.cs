using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>An SAE's registry record, the corpora ingested through it, and the ingestion totals (idempotent per batch).</summary>
public sealed class SaeState
{
    public SaeRecord? Record { get; set; }
    public List<string> Corpora { get; init; } = [];
    public IngestTotals Totals { get; init; } = new();
    public BatchLedger Ledger { get; init; } = new();
}

public sealed record SaeView(string SaeId, SaeRecord? Record, string[] Corpora, IngestTotals Totals);
