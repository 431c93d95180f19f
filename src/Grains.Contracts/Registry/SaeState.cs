using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>An SAE's registry record, the corpora ingested through it, and the ingestion totals (idempotent per batch).</summary>
[GenerateSerializer, Alias("actors.SaeState")]
public sealed class SaeState
{
    [Id(0)] public SaeRecord? Record { get; set; }
    [Id(1)] public List<string> Corpora { get; init; } = [];
    [Id(2)] public IngestTotals Totals { get; init; } = new();
    [Id(3)] public BatchLedger Ledger { get; init; } = new();
    /// <summary>The latest steerability report (absent in state written before it existed).</summary>
    [Id(4)] public Actors.Grains.Steering.SteerabilityReport? Steerability { get; set; }
    /// <summary>Parent and version when this SAE was retrained from another; null for an SAE registered as such.</summary>
    [Id(5)] public SaeLineage? Lineage { get; set; }
}

[GenerateSerializer, Immutable, Alias("actors.SaeView")]
public sealed record SaeView([property: Id(0)] string SaeId, [property: Id(1)] SaeRecord? Record, [property: Id(2)] string[] Corpora, [property: Id(3)] IngestTotals Totals,
    [property: Id(4)] Actors.Grains.Steering.SteerabilityReport? Steerability = null,
    [property: Id(5)] SaeLineage? Lineage = null);
