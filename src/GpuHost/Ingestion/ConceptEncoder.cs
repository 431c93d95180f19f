using Actors.GpuHost.Clip;
using Actors.GpuHost.Tokenization;
using System.Collections.Concurrent;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Text embeddings of concepts with a model's text tower: each concept is put in CLIP's prompt template
/// ("a photo of a {concept}."), tokenised with the model's own vocabulary, encoded, and L2-normalised.
/// </summary>
public sealed class ConceptEncoder
{
    public const string Template = "a photo of a {0}.";
    const int BatchSize = 64;
    readonly ConcurrentDictionary<string, ClipTokenizer> tokenizers = new(StringComparer.Ordinal);

    public float[][] Embed(LoadedModel model, IReadOnlyList<string> concepts)
    {
        var tokenizer = tokenizers.GetOrAdd(model.Path, path => ArtifactLoadException.Wrap(path,
            () => ClipTokenizer.FromDirectory(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!)));
        var text = model.Model.Text;
        int dim = text.ProjectionDim;
        var result = new float[concepts.Count][];
        for (int start = 0; start < concepts.Count; start += BatchSize)
        {
            var prompts = concepts.Skip(start).Take(BatchSize).Select(c => string.Format(Template, c)).ToList();
            var (ids, _) = tokenizer.EncodeBatch(prompts, text.ContextLength);
            var embeds = Embeddings.Normalized(text.Encode(ids, prompts.Count), dim);
            for (int i = 0; i < prompts.Count; i++) result[start + i] = embeds.AsSpan(i * dim, dim).ToArray();
        }
        return result;
    }
}
