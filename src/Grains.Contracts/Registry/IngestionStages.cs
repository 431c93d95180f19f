using Orleans;
namespace Actors.Grains.Registry;

/// <summary>
/// Seconds an ingestion spent per stage on the batches it recorded: waiting for decoded, preprocessed images (what
/// the prefetch did not hide behind the model), the CLIP forward to the hook, the SAE encode, sketching (including
/// merging a checkpoint interval's batches per latent on the host), and delivery to the grains, which store what
/// they are given (shared out over the batches a checkpoint delivers; the corpus's own record writes, ≈ 1 ms each,
/// are the one part of a run counted in no stage). Field id 5 held a separate flush stage that delivery now includes.
/// <see cref="Relevance"/> is the Act×Grad relevance for the class prompts (one backward per image whose label is a
/// class of the ingestion's vocabulary; 0 without one). It says where a corpus's time goes — e.g. that with an
/// all-token hook the SAE's dense encode, not the ingestion machinery, is what is added to the model's time.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.IngestionStages")]
public sealed record IngestionStages([property: Id(0)] double LoadWait, [property: Id(1)] double Forward, [property: Id(2)] double Encode, [property: Id(3)] double Sketch, [property: Id(4)] double Deliver,
    [property: Id(6)] double Relevance = 0)
{
    public static readonly IngestionStages None = new(0, 0, 0, 0, 0);

    public double Total => LoadWait + Forward + Encode + Sketch + Deliver + Relevance;

    /// <summary>Each stage's share of the total, e.g. "forward 64 %, encode 27 %, …" (relevance only when computed).</summary>
    public string Shares()
    {
        double total = Total > 0 ? Total : 1;
        var stages = new List<(string, double)> { ("load wait", LoadWait), ("forward", Forward), ("SAE encode", Encode) };
        if (Relevance > 0) stages.Add(("relevance", Relevance));
        stages.AddRange([("sketch", Sketch), ("deliver", Deliver)]);
        return string.Join(", ", stages.Select(s => $"{s.Item1} {100 * s.Item2 / total:F0} %"));
    }

    public IngestionStages Plus(IngestionStages other) => new(LoadWait + other.LoadWait, Forward + other.Forward,
        Encode + other.Encode, Sketch + other.Sketch, Deliver + other.Deliver, Relevance + other.Relevance);
}
