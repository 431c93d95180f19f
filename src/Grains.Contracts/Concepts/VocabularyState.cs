using Orleans;

namespace Actors.Grains.Concepts;

[GenerateSerializer, Alias("actors.VocabularyState")]
public sealed class VocabularyState
{
    [Id(0)] public string? ModelId { get; set; }
    [Id(1)] public string[] Concepts { get; set; } = [];
    /// <summary>Times the vocabulary was registered (its concepts re-embedded); 0 in state stored before it was counted.</summary>
    [Id(2)] public long Registrations { get; set; }
}
