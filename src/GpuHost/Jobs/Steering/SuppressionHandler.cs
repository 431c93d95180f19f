using Orleans;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Job "suppression" (seed 001 Sec. 7.1, Table 1): the spurious attribute's features found by Eq. 9 (and the
/// Sec. 7.2 cosine expansion when λ is given) are zero-ablated while CLIP classifies a labelled corpus zero-shot
/// over the vocabulary (each image's label must be one of its concepts); overall accuracy, accuracy per group and
/// worst-group accuracy (Sagawa et al. 2020: the minimum over groups) before and after.
/// </summary>
public sealed class SuppressionHandler(IGrainFactory grains, SteeringSessions sessions) : IJobHandler
{
    public const string JobKind = "suppression";
    public string Kind => JobKind;

    public sealed record Result(int SelectedByEquation9, int Suppressed, int[] Latents, int AttributeImages, int ContrastImages,
        int EvalImages, string[] GroupBy, BeforeAfter Accuracy, BeforeAfter WorstGroupAccuracy, GroupAccuracy[] Groups);

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<SuppressionParameters>();
        SteeringChecks.ThrowIfAny(p.Problem());
        var session = await sessions.OpenAsync(p.SaeId, p.VocabularyId);
        var attribute = await CorpusEntries.LoadAsync(grains, p.AttributeCorpusId, "attributeCorpusId");
        var contrast = await CorpusEntries.LoadAsync(grains, p.ContrastCorpusId, "contrastCorpusId");
        var eval = await CorpusEntries.LoadAsync(grains, p.EvalCorpusId, "evalCorpusId");
        var features = await SuppressedFeatures.FindAsync(session, attribute, contrast, p.Tau, p.Lambda, p.MaxImages, context, cancellationToken);
        var evaluation = new SuppressionEvaluation(session.Model, features.Splice(session));
        var classes = session.Model.ClassIndex();

        var indices = SuppressedFeatures.First(eval, p.MaxImages);
        await foreach (var batch in session.BatchesAsync(eval, indices, cancellationToken))
        {
            var truth = new List<int>(batch.Count); var groups = new List<string>(batch.Count);
            foreach (var image in batch.Images)
            {
                int i = eval.IndexOf(image.ImageId);
                string label = eval.Items[i].Label ?? throw new InvalidDataException($"corpus '{p.EvalCorpusId}': image '{image.ImageId}' has no label");
                truth.Add(classes.TryGetValue(label, out int c) ? c
                    : throw new InvalidDataException($"corpus '{p.EvalCorpusId}': label '{label}' of image '{image.ImageId}' is not a concept of vocabulary '{p.VocabularyId}'"));
                groups.Add(eval.GroupOf(i, p.GroupBy));
            }
            evaluation.Add(batch.Pixels, batch.Count, truth, groups);
            context.Report(evaluation.Images, indices.Length, "classifying");
        }
        if (evaluation.Images == 0) throw new InvalidDataException($"corpus '{p.EvalCorpusId}': none of its images could be read");

        var figures = evaluation.Result();
        var result = new Result(features.Selected.Length, features.Suppressed.Length, features.Suppressed, features.ImagesWith, features.ImagesWithout,
            evaluation.Images, p.GroupBy, figures.Accuracy, figures.WorstGroupAccuracy, figures.Groups);
        return new JobOutcome(JobContext.ToJson(result));
    }
}
