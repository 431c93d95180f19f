using Orleans;
using Actors.Grains.Evaluations;
using Actors.Grains.Messages;
using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>
/// Durable state of one latent grain: its accumulated sketch, the ledger of batches merged into it (the two are
/// always written together, so storage never holds a sketch without the ledger that explains it), and the slots
/// that analyses fill.
/// </summary>
[GenerateSerializer, Alias("actors.LatentState")]
public sealed class LatentState
{
    [Id(0)] public BatchLedger Ledger { get; init; } = new();
    /// <summary>What the latent has accumulated; empty until its first delta.</summary>
    public LatentSketch Sketch => sketch ??= new();
    // Null until the first delta, which becomes the sketch (TryMerge): every latent a checkpoint activates for the
    // first time would otherwise allocate an empty sketch (a dozen objects) only to drop it at that first merge.
    [Id(1)] LatentSketch? sketch;
    [Id(2)] public SemanticLabeling? SemanticLabels { get; set; }
    [Id(3)] public LogitLensResult? LogitLens { get; set; }
    /// <summary>
    /// The labels of the matched latent of the SAE version this one was retrained from, with the match score
    /// (<see cref="SemanticLabeling.CarriedFrom"/>). Kept apart from <see cref="SemanticLabels"/>, which this latent's
    /// own labelling fills: neither erases the other.
    /// </summary>
    [Id(6)] public SemanticLabeling? CarriedLabels { get; set; }
    /// <summary>The latest steering-strength sweep (absent in state written before it existed).</summary>
    [Id(4)] public Actors.Grains.Steering.SteeringSweep? SteeringSweep { get; set; }
    /// <summary>Failure-detection runs that flagged this latent (seed 000 Eq. 8), by class label; id 5 (4 is taken elsewhere).</summary>
    [Id(5)] public Dictionary<string, LatentFailureMode> FailureModes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Merges a delta unless its batches were merged before; returns whether anything changed.</summary>
    public bool TryMerge(LatentDelta delta)
    {
        if (!Ledger.TryAddRange(delta.CorpusId, delta.BatchId, delta.BatchCount, delta.DurableThrough)) return false;
        // A latent's first delta becomes its sketch instead of being copied into an empty one: a checkpoint's first
        // delivery activates every touched latent, and the copies were new objects that all outlived the young
        // generation. The sender hands the sketch over (see LatentDelta).
        if (sketch is null || sketch.IsEmpty) sketch = delta.Sketch;
        else sketch.MergeFrom(delta.Sketch);
        return true;
    }
}
