using System.Numerics.Tensors;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Evaluation;
using Actors.Vision.Clip;
using Actors.Vision.Tokenization;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>An SAE's figures on the held-out images (SaeEvaluator's definitions) and its loss recovered.</summary>
public sealed record RetrainingMetrics(long Images, long Tokens, double ExplainedVariance, double Mse, double MeanL0, double DeadFraction,
    LossRecoveredReport? LossRecovered);

/// <summary>
/// Loss recovered (seed 001 App. 12.1 "CE Rec": (L_zero − L_sae) / (L_zero − L_orig)) under <paramref name="Measure"/>:
/// "zero-shot-ce", the cross-entropy of CLIP's zero-shot classifier over the held-out images' class labels (prompt
/// "a photo of a {label}."), when they carry at least two; otherwise "embedding-cosine", the mean 1 − cos between the
/// edited and the unedited image embedding (0 for the unedited model). Accuracies are the zero-shot ones (null for the
/// cosine measure). <paramref name="Fraction"/> is null, with <paramref name="Note"/>, when zero ablation costs nothing.
/// </summary>
public sealed record LossRecoveredReport(string Measure, double Original, double Sae, double ZeroAblation, double? Fraction,
    double? OriginalAccuracy, double? SaeAccuracy, double? ZeroAblationAccuracy, string? Note = null);

public static class RetrainingEvaluation
{
    public static RetrainingMetrics Evaluate(ClipModel model, ClipTokenizer? tokenizer, ImageBatches heldOut, SparseAutoencoder sae, SaeHookSpec hook)
    {
        var m = SaeEvaluator.Evaluate(sae, new HookedRows(model.Vision, heldOut, hook), long.MaxValue, batchSize: 1024);
        long images = m.Tokens / hook.RowsPerSequence(model.Vision.Config.Tokens);
        return new RetrainingMetrics(images, m.Tokens, m.ExplainedVariance, m.Mse, m.MeanL0, m.DeadFraction, LossRecovered(model, tokenizer, heldOut, sae, hook));
    }

    static LossRecoveredReport LossRecovered(ClipModel model, ClipTokenizer? tokenizer, ImageBatches heldOut, SparseAutoencoder sae, SaeHookSpec hook)
    {
        var labels = heldOut.Items.Select(i => i.Label).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var classifier = tokenizer is not null && labels.Count >= 2 ? ZeroShotClassifier.Create(model, tokenizer, labels) : null;
        int dim = model.Config.ProjectionDim;
        float[] Edited(ImageBatch b, HookEdit edit) => edit == HookEdit.None ? model.Vision.Encode(b.Pixels, b.Count)
            : hook.EncodeEdited(model.Vision, b.Pixels, b.Count, (rows, count) => edit == HookEdit.SpliceSae ? sae.Reconstruct(rows, count) : new float[rows.Length]);

        DownstreamMetrics Run(HookEdit edit)
        {
            double loss = 0; long n = 0, correct = 0;
            foreach (var b in heldOut.Read())
            {
                var embeds = Edited(b, edit);
                if (classifier is not null)
                {
                    var p = classifier.Probabilities(embeds);
                    for (int i = 0; i < b.Count; i++)
                    {
                        if (b.Labels[i] is not { } label) continue;
                        var row = p.AsSpan(i * labels.Count, labels.Count);
                        loss -= Math.Log(Math.Max(row[labels.BinarySearch(label, StringComparer.Ordinal)], 1e-30f));
                        correct += TensorPrimitives.IndexOfMax(row) == labels.BinarySearch(label, StringComparer.Ordinal) ? 1 : 0;
                        n++;
                    }
                }
                else
                {
                    var original = edit == HookEdit.None ? embeds : model.Vision.Encode(b.Pixels, b.Count);
                    for (int i = 0; i < b.Count; i++)
                        loss += 1 - TensorPrimitives.CosineSimilarity(embeds.AsSpan(i * dim, dim), original.AsSpan(i * dim, dim));
                    n += b.Count;
                }
            }
            if (n == 0) throw new InvalidOperationException("loss recovered: no held-out image could be read");
            return new DownstreamMetrics(loss / n, (double)correct / n);
        }

        string measure = classifier is null ? "embedding-cosine" : "zero-shot-ce";
        var (original, spliced, zero) = (Run(HookEdit.None), Run(HookEdit.SpliceSae), Run(HookEdit.ZeroAblate));
        double? Accuracy(DownstreamMetrics d) => classifier is null ? null : d.Accuracy;
        double gap = zero.Loss - original.Loss;
        // DownstreamEvaluation.Compute's formula, kept here so an undefined fraction is reported rather than thrown.
        return new LossRecoveredReport(measure, original.Loss, spliced.Loss, zero.Loss,
            Math.Abs(gap) < 1e-12 ? null : (zero.Loss - spliced.Loss) / gap, Accuracy(original), Accuracy(spliced), Accuracy(zero),
            Math.Abs(gap) < 1e-12 ? "zero ablation does not change the loss: loss recovered is undefined" : null);
    }
}
