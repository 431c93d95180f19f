using Actors.GpuHost.Analysis;
using Actors.Grains.Concepts;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// The class prompts an ingestion attributes to: each corpus label that is a concept of the request's vocabulary,
/// with that concept's stored text embedding t_c. The embeddings must come from the SAE's own model, since y compares
/// them with its image embeddings (seed 000 Eq. 4); a vocabulary embedded by another model, or stored before
/// vocabularies kept their model, gives none, and the reason says so.
/// </summary>
public static class VocabularyClassPrompts
{
    public static async Task<(Dictionary<string, float[]> Prompts, string? WhyNone)> LoadAsync(IGrainFactory grains,
        string? vocabularyId, AnalysisTarget target, IEnumerable<string?> corpusLabels)
    {
        var prompts = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (vocabularyId is null) return (prompts, "the ingestion names no vocabulary");
        if (await grains.GetGrain<IVocabularyGrain>(vocabularyId).GetAsync() is not { } vocabulary)
            return (prompts, $"vocabulary '{vocabularyId}' does not say which model embedded it (re-register it)");
        if (await grains.GetGrain<IModelGrain>(vocabulary.ModelId).GetAsync() is not { } model || !model.SameModelAs(target.ModelRecord))
            return (prompts, $"vocabulary '{vocabularyId}' was embedded by model '{vocabulary.ModelId}', not by SAE '{target.SaeId}''s model '{target.Record.ModelId}'");
        var concepts = vocabulary.Concepts.ToHashSet(StringComparer.Ordinal);
        foreach (var label in corpusLabels.OfType<string>().Where(concepts.Contains).Distinct(StringComparer.Ordinal))
            if ((await grains.GetGrain<IConceptGrain>($"{vocabularyId}/{label}").GetAsync()).Embedding is { Length: > 0 } embedding)
                prompts[label] = embedding;
        return (prompts, prompts.Count > 0 ? null : $"no label of the corpus is a concept of vocabulary '{vocabularyId}'");
    }
}
