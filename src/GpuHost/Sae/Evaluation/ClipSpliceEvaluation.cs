using Actors.GpuHost.Clip;
using Actors.GpuHost.Imaging;
using Actors.GpuHost.Sae.Architectures;
using Actors.GpuHost.Tokenization;
using Actors.GpuHost.Training;
using Actors.GpuHost.World;

namespace Actors.GpuHost.Sae.Evaluation;

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

    public DownstreamMetrics Measure(SparseAutoencoder sae, SaeHookSpec hook, HookEdit edit)
    {
        int size = Sources.WorldImageSequence.SceneSize, per = preprocessor.FloatsPerImage, dim = model.Config.ProjectionDim;
        double lossSum = 0; int correct = 0, batches = 0;
        ResidualHook? editHook = edit == HookEdit.None ? null : (layer, residual) =>
        {
            if (layer != hook.Layer) return;
            var rows = hook.SelectRows(residual.Values, residual.Batch, residual.Tokens, residual.Width);
            var replaced = edit == HookEdit.SpliceSae ? sae.Reconstruct(rows, rows.Length / residual.Width) : new float[rows.Length];
            hook.ScatterRows(replaced, residual.Values, residual.Batch, residual.Tokens, residual.Width);
        };
        for (int start = 0; start + batch <= scenes.Count; start += batch)   // whole batches: the loss depends on batch size
        {
            var chunk = scenes.Skip(start).Take(batch).ToList();
            var pixels = new float[batch * per];
            Parallel.For(0, batch, i => preprocessor.Preprocess(SceneRenderer.Render(chunk[i].Factors, size), pixels.AsSpan(i * per, per)));
            var images = model.Vision.Encode(pixels, batch, editHook);
            var (ids, _) = tokenizer.EncodeBatch(chunk.Select(s => s.Caption).ToList(), model.Text.ContextLength);
            var texts = model.Text.Encode(ids, batch);
            lossSum += ContrastiveLoss.ForwardBackward(images, texts, model.LogitScale, batch, dim, [], [], out _).Loss;
            var probabilities = shapes.Probabilities(images);
            var predicted = ZeroShotMetrics.ArgMax(probabilities, batch, shapes.Labels.Count);
            for (int i = 0; i < batch; i++) correct += shapes.Labels[predicted[i]] == WorldNames.Name(chunk[i].Factors.Shape) ? 1 : 0;
            batches++;
        }
        if (batches == 0) throw new ArgumentException($"need at least {batch} scenes, found {scenes.Count}");
        return new DownstreamMetrics(lossSum / batches, (double)correct / (batches * batch));
    }
}
