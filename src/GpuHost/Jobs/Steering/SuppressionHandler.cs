using Actors.World.Training;
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
        var splice = features.Splice(session);
        var classes = ClassIndex(session);

        var truth = new List<int>(); var groups = new List<string>(); var before = new List<int>(); var after = new List<int>();
        var indices = SuppressedFeatures.First(eval, p.MaxImages);
        await foreach (var batch in session.BatchesAsync(eval, indices, cancellationToken))
        {
            foreach (var image in batch.Images)
            {
                int i = eval.IndexOf(image.ImageId);
                string label = eval.Items[i].Label ?? throw new InvalidDataException($"corpus '{p.EvalCorpusId}': image '{image.ImageId}' has no label");
                truth.Add(classes.TryGetValue(label, out int c) ? c
                    : throw new InvalidDataException($"corpus '{p.EvalCorpusId}': label '{label}' of image '{image.ImageId}' is not a concept of vocabulary '{p.VocabularyId}'"));
                groups.Add(eval.GroupOf(i, p.GroupBy));
            }
            before.AddRange(session.Predict(session.Before(batch.Pixels, batch.Count), batch.Count));
            after.AddRange(session.Predict(session.After(batch.Pixels, batch.Count, splice), batch.Count));
            context.Report(truth.Count, indices.Length, "classifying");
        }
        if (truth.Count == 0) throw new InvalidDataException($"corpus '{p.EvalCorpusId}': none of its images could be read");

        var (worstBefore, perBefore) = ZeroShotMetrics.WorstGroupAccuracy(before, truth, groups);
        var (worstAfter, perAfter) = ZeroShotMetrics.WorstGroupAccuracy(after, truth, groups);
        var perGroup = perBefore.Keys.Order(StringComparer.Ordinal)
            .Select(g => new GroupAccuracy(g, groups.Count(x => x == g), perBefore[g], perAfter[g])).ToArray();
        var result = new Result(features.Selected.Length, features.Suppressed.Length, features.Suppressed, features.ImagesWith, features.ImagesWithout,
            truth.Count, p.GroupBy, new BeforeAfter(ZeroShotMetrics.Accuracy(before, truth), ZeroShotMetrics.Accuracy(after, truth)),
            new BeforeAfter(worstBefore, worstAfter), perGroup);
        return new JobOutcome(JobContext.ToJson(result));
    }

    /// <summary>Each vocabulary concept's index: labels are classified among the vocabulary's concepts.</summary>
    public static Dictionary<string, int> ClassIndex(SteeringSession session) =>
        session.Vocabulary.Concepts.Labels.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i, StringComparer.Ordinal);
}
