using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// Ingest corpus <paramref name="CorpusId"/> through SAE <paramref name="SaeId"/>: the parameters of a job of kind
/// <see cref="JobKind"/>, which the corpus grain submits when it accepts a start. Class-level activations (seed 002
/// Eq. 5) go to the concepts "{<paramref name="VocabularyId"/>}/{label}" of a registered vocabulary whose concepts
/// are the corpus's class labels; without one they are not collected.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.IngestionRequest")]
public sealed record IngestionRequest([property: Id(0)] string CorpusId, [property: Id(1)] string SaeId,
    [property: Id(2)] string? VocabularyId = null)
{
    public const string JobKind = "ingestion";
}
