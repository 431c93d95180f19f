using Actors.Vision.Clip;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Text embeddings of concepts with a model's text tower: each concept in CLIP's prompt template
/// ("a photo of a {concept}."), tokenised with the model's own vocabulary, encoded and L2-normalised — the class
/// embeddings a zero-shot classifier over the concepts would use.
/// </summary>
public sealed class ConceptEncoder
{
    public float[][] Embed(LoadedModel model, IReadOnlyList<string> concepts)
    {
        var tokenizer = ModelTokenizers.For(model);
        var classes = ZeroShotClassifier.Create(model.Model, tokenizer, concepts, ZeroShotClassifier.DefaultTemplates).ClassEmbeddings;
        int dim = model.Model.Config.ProjectionDim;
        return Enumerable.Range(0, concepts.Count).Select(i => classes.AsSpan(i * dim, dim).ToArray()).ToArray();
    }
}
