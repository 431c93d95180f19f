using Actors.GpuHost.Ingestion;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// Text embeddings t of prompts exactly as written (no template, unlike <see cref="ConceptEncoder"/>'s concepts), with a
/// model's own tokenizer and text tower, L2-normalised: a researcher's prompt for attribution (seed 000 Eq. 4). (Eq. 2's
/// t_empty is the empty concept in the concepts' template, <see cref="Jobs.Evaluations.EvaluationInputs.EmptyConcept"/>.)
/// Each call runs a text tower of its own over the shared weights (the tower reuses its buffers, and other callers use
/// the model meanwhile).
/// </summary>
public sealed class PromptEncoder
{
    /// <summary>One unit row (proj) per text.</summary>
    public float[][] Embed(LoadedModel model, IReadOnlyList<string> texts)
    {
        var tokenizer = ModelTokenizers.For(model);
        var text = new ClipTextModel(model.Model.Backend, model.Weights.Config, model.Weights.Text);
        var (ids, _) = tokenizer.EncodeBatch(texts, text.ContextLength);
        var embeddings = Embeddings.Normalized(text.Encode(ids, texts.Count), text.ProjectionDim);
        return Enumerable.Range(0, texts.Count).Select(i => embeddings.AsSpan(i * text.ProjectionDim, text.ProjectionDim).ToArray()).ToArray();
    }
}
