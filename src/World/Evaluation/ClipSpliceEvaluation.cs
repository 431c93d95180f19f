using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Evaluation;
using Actors.Vision.Tokenization;
using Actors.World.Training;

namespace Actors.World.Evaluation;

/// <summary>
/// The downstream check of an SAE on CLIP (issue 4, seed 001 App. 12.1): run CLIP over held-out world scenes with the
/// hooked layer's tokens left alone, replaced by the SAE's reconstruction x̂, or zeroed, and measure CLIP's own
/// contrastive loss on (scene, caption) pairs and zero-shot shape accuracy. <see cref="DownstreamEvaluation.Compute"/>
/// turns the three into "loss recovered".
/// </summary>
public sealed class ClipSpliceEvaluation(ClipModel model, ClipTokenizer tokenizer, ClipPreprocessor preprocessor,
    IReadOnlyList<WorldItem> scenes, int batch = 64)
{
    readonly ZeroShotClassifier shapes = ZeroShotClassifier.Create(model, tokenizer,
        Enum.GetValues<Shape>().Select(WorldNames.Name).ToList(), ["a photo of a {}"]);

    public LossRecovered Run(SparseAutoencoder sae, SaeHookSpec hook) => DownstreamEvaluation.Compute(edit => Measure(sae, hook, edit));

    /// <summary>One evaluation batch: preprocessed scenes, caption embeddings and true shapes — none depends on the edit.</summary>
    sealed record EvaluationBatch(float[] Pixels, float[] Captions, string[] Shapes);

    IReadOnlyList<EvaluationBatch>? prepared;

    IReadOnlyList<EvaluationBatch> Prepare()
    {
        int size = WorldImageSequence.SceneSize, per = preprocessor.FloatsPerImage;
        var result = new List<EvaluationBatch>();
        for (int start = 0; start + batch <= scenes.Count; start += batch)   // whole batches: the loss depends on batch size
        {
            var chunk = scenes.Skip(start).Take(batch).ToList();
            var pixels = new float[batch * per];
            Parallel.For(0, batch, i => preprocessor.Preprocess(SceneRenderer.Render(chunk[i].Factors, size), pixels.AsSpan(i * per, per)));
            var (ids, _) = tokenizer.EncodeBatch(chunk.Select(s => s.Caption).ToList(), model.Text.ContextLength);
            result.Add(new EvaluationBatch(pixels, model.Text.Encode(ids, batch), [.. chunk.Select(s => WorldNames.Name(s.Factors.Shape))]));
        }
        if (result.Count == 0) throw new ArgumentException($"need at least {batch} scenes, found {scenes.Count}");
        return result;
    }

    public DownstreamMetrics Measure(SparseAutoencoder sae, SaeHookSpec hook, HookEdit edit)
    {
        int dim = model.Config.ProjectionDim;
        double lossSum = 0; int correct = 0;
        Func<float[], int, float[]> replace = (rows, count) => edit == HookEdit.SpliceSae ? sae.Reconstruct(rows, count) : new float[rows.Length];
        prepared ??= Prepare();
        foreach (var b in prepared)
        {
            var images = edit == HookEdit.None ? model.Vision.Encode(b.Pixels, batch) : hook.EncodeEdited(model.Vision, b.Pixels, batch, replace);
            lossSum += ContrastiveLoss.ForwardBackward(images, b.Captions, model.LogitScale, batch, dim, [], [], out _).Loss;
            var predicted = ZeroShotMetrics.ArgMax(shapes.Probabilities(images), batch, shapes.Labels.Count);
            for (int i = 0; i < batch; i++) correct += shapes.Labels[predicted[i]] == b.Shapes[i] ? 1 : 0;
        }
        return new DownstreamMetrics(lossSum / prepared.Count, (double)correct / (prepared.Count * batch));
    }
}
