using Actors.Vision.Clip;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Text embeddings of concepts with a model's text tower: each concept in CLIP's prompt template
/// ("a photo of a {concept}."), tokenised with the model's own vocabulary, encoded and L2-normalised — the class
/// embeddings a zero-shot classifier over the concepts would use.
/// </summary>
public sealed class ConceptEncoder
{
    public float[][] Embed(LoadedModel model, IReadOnlyList<string> concepts) => Embed(model, concepts, ZeroShotClassifier.DefaultTemplates);

    /// <summary>
    /// Each concept in every one of <paramref name="templates"/> ("{}" marks the concept), ensembled as CLIP's zero-shot
    /// classifier does: the prompts' embeddings normalised, averaged per concept, renormalised.
    /// </summary>
    public float[][] Embed(LoadedModel model, IReadOnlyList<string> concepts, IReadOnlyList<string> templates)
    {
        var tokenizer = ModelTokenizers.For(model);
        var classes = ZeroShotClassifier.Create(model.Model, tokenizer, concepts, templates).ClassEmbeddings;
        int dim = model.Model.Config.ProjectionDim;
        return Enumerable.Range(0, concepts.Count).Select(i => classes.AsSpan(i * dim, dim).ToArray()).ToArray();
    }
}
