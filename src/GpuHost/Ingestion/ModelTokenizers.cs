using System.Collections.Concurrent;
using Actors.Vision.Tokenization;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// The tokenizer of each loaded model, read once per process from the model's folder (vocabulary files do not change
/// under a loaded model; every encoder of concepts or prompts shares them).
/// </summary>
public static class ModelTokenizers
{
    static readonly ConcurrentDictionary<string, ClipTokenizer> tokenizers = new(StringComparer.Ordinal);

    public static ClipTokenizer For(LoadedModel model) => tokenizers.GetOrAdd(model.Path, path => ArtifactLoadException.Wrap(path,
        () => ClipTokenizer.FromDirectory(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!)));
}
