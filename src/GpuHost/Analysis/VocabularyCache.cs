using System.Collections.Concurrent;
using Actors.Analysis.Alignment;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Orleans;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// A registered vocabulary's concepts with their text embeddings (from the concept grains), kept per process while
/// the vocabulary's record — its registration, its model and its concepts in order — is unchanged (a registration
/// re-embeds every concept, also when its model id now names other weights), so a steering query, a labelling
/// or an evaluation costs one grain call for it instead of one per concept.
/// </summary>
public sealed class VocabularyCache(IGrainFactory grains)
{
    const int ConceptsPerRound = 256;
    readonly ConcurrentDictionary<string, (VocabularyRecord Record, ConceptSet Concepts)> cache = new(StringComparer.Ordinal);

    /// <summary>An unknown vocabulary, or a concept without an embedding, is the caller's fault about <paramref name="field"/>.</summary>
    public async Task<(VocabularyRecord Record, ConceptSet Concepts)> GetAsync(string vocabularyId, string field)
    {
        var record = await grains.GetGrain<IVocabularyGrain>(vocabularyId).GetAsync()
            ?? throw new InvalidArtifactException(field, $"no vocabulary '{vocabularyId}' is registered");
        if (cache.TryGetValue(vocabularyId, out var hit) && hit.Record.Registration == record.Registration && hit.Record.ModelId == record.ModelId
            && hit.Record.Concepts.SequenceEqual(record.Concepts))
            return hit;
        var embeddings = new List<float[]>(record.Concepts.Length);
        foreach (var chunk in record.Concepts.Chunk(ConceptsPerRound))
            embeddings.AddRange((await Task.WhenAll(chunk.Select(c => grains.GetGrain<IConceptGrain>($"{vocabularyId}/{c}").GetAsync())))
                .Select(v => v.Embedding));
        int dim = embeddings.Count == 0 ? 0 : embeddings[0].Length;
        if (dim == 0 || embeddings.Any(e => e.Length != dim))
            throw new InvalidArtifactException(field, $"vocabulary '{vocabularyId}': every concept needs a text embedding of one width");
        var entry = (record, new ConceptSet(record.Concepts, [.. embeddings.SelectMany(e => e)], dim));
        cache[vocabularyId] = entry;
        return entry;
    }
}
