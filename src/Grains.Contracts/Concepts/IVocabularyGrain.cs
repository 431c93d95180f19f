using Orleans;

namespace Actors.Grains.Concepts;

/// <summary>
/// A registered vocabulary, key "{vocabulary}": the model whose text tower embedded it and its concepts in order
/// (each concept's text and embedding live on its <see cref="IConceptGrain"/>). Analyses that label latents read it.
/// </summary>
[Alias("actors.IVocabularyGrain")]
public interface IVocabularyGrain : IGrainWithStringKey
{
    Task RegisterAsync(string modelId, string[] concepts);
    Task<VocabularyRecord?> GetAsync();
}

/// <param name="Registration">Which registration this is (1 for the first): a registration re-embeds the concepts, so a
/// host that keeps the embeddings (<c>VocabularyCache</c>) reads them again when it changes.</param>
[GenerateSerializer, Immutable, Alias("actors.VocabularyRecord")]
public sealed record VocabularyRecord([property: Id(0)] string Vocabulary, [property: Id(1)] string ModelId, [property: Id(2)] string[] Concepts,
    [property: Id(3)] long Registration = 0);
