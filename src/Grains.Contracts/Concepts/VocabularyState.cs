using Orleans;

namespace Actors.Grains.Concepts;

[GenerateSerializer, Alias("actors.VocabularyState")]
public sealed class VocabularyState
{
    [Id(0)] public string? ModelId { get; set; }
    [Id(1)] public string[] Concepts { get; set; } = [];
}
