using System.Collections.Concurrent;
using Actors.Vision.Clip;
using Actors.Vision.Tokenization;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Text embeddings of concepts with a model's text tower: each concept in CLIP's prompt template
/// ("a photo of a {concept}."), tokenised with the model's own vocabulary, encoded and L2-normalised — the class
/// embeddings a zero-shot classifier over the concepts would use.
/// </summary>
public sealed class ConceptEncoder
{
    readonly ConcurrentDictionary<string, ClipTokenizer> tokenizers = new(StringComparer.Ordinal);

    public float[][] Embed(LoadedModel model, IReadOnlyList<string> concepts)
    {
        var tokenizer = tokenizers.GetOrAdd(model.Path, path => ArtifactLoadException.Wrap(path,
            () => ClipTokenizer.FromDirectory(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!)));
        var classes = ZeroShotClassifier.Create(model.Model, tokenizer, concepts, ZeroShotClassifier.DefaultTemplates).ClassEmbeddings;
        int dim = model.Model.Config.ProjectionDim;
        return Enumerable.Range(0, concepts.Count).Select(i => classes.AsSpan(i * dim, dim).ToArray()).ToArray();
    }
}
