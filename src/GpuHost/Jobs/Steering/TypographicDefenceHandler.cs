using Actors.Analysis.Steering;
using Actors.GpuHost.Ingestion;
using Orleans;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Job "typographic-defence" (seed 001 Sec. 7.2, Table 2): features found by Eq. 9 with D_T the images carrying
/// written words and D_T̄ the same images without (plus the cosine expansion when λ is given) are zero-ablated, and
/// CLIP classifies pairs of images — the same image id in the words and the clean corpus — zero-shot over the
/// vocabulary. Figures, each without and with the suppression:
/// <list type="bullet">
/// <item>clean accuracy (the paper's ImageNet accuracy drop) and accuracy on the words images (Table 2's figure);
/// the truth is the clean image's label (the words image's when the clean one has none);</item>
/// <item>flip rate: the fraction of pairs whose prediction on the words image differs from the prediction on its clean
/// image (<see cref="TypographicFlips.FlipRate"/>);</item>
/// <item>written-class rate, when the words corpus names the written class (a world manifest's written_class): among
/// pairs whose written class is not the truth, the fraction predicted as the written class (the attack's success).</item>
/// </list>
/// </summary>
public sealed class TypographicDefenceHandler(IGrainFactory grains, SteeringSessions sessions) : IJobHandler
{
    public const string JobKind = "typographic-defence";
    public const string WrittenClassField = "written_class";
    public string Kind => JobKind;

    public sealed record Result(int SelectedByEquation9, int Suppressed, int[] Latents, int WordsImages, int CleanImages, int Pairs,
        BeforeAfter CleanAccuracy, BeforeAfter WordsAccuracy, BeforeAfter FlipRate, BeforeAfter? WrittenClassRate);

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<TypographicDefenceParameters>();
        SteeringChecks.ThrowIfAny(p.Problem());
        var session = await sessions.OpenAsync(p.SaeId, p.VocabularyId);
        var words = await CorpusEntries.LoadAsync(grains, p.WordsCorpusId, "wordsCorpusId");
        var clean = await CorpusEntries.LoadAsync(grains, p.CleanCorpusId, "cleanCorpusId");
        var features = await SuppressedFeatures.FindAsync(session, words, clean, p.Tau, p.Lambda, p.MaxImages, context, cancellationToken);
        var evalWords = p.EvalWordsCorpusId is { } ew ? await CorpusEntries.LoadAsync(grains, ew, "evalWordsCorpusId") : words;
        var evalClean = p.EvalCleanCorpusId is { } ec ? await CorpusEntries.LoadAsync(grains, ec, "evalCleanCorpusId") : clean;
        var pairs = Enumerable.Range(0, evalClean.Items.Count).Select(i => (Clean: i, Words: evalWords.IndexOf(evalClean.Items[i].ImageId)))
            .Where(x => x.Words >= 0).Take(p.MaxImages).ToArray();
        if (pairs.Length == 0)
            throw new InvalidDataException($"corpora '{evalWords.CorpusId}' and '{evalClean.CorpusId}' share no image id: pairs are the same id in both");

        var evaluation = new TypographicEvaluation(session.Model, features.Splice(session));
        var classes = session.Model.ClassIndex();
        foreach (var chunk in pairs.Chunk(SteeringSession.Batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cleanImages = await session.LoadAsync(evalClean.CorpusId, chunk.Select(x => evalClean.Items[x.Clean]).ToArray(), cancellationToken);
            var wordsImages = await session.LoadAsync(evalWords.CorpusId, chunk.Select(x => evalWords.Items[x.Words]).ToArray(), cancellationToken);
            Classify(session, classes, evalClean, evalWords, chunk, cleanImages, wordsImages, evaluation);
            context.Report(evaluation.Pairs, pairs.Length, "classifying pairs");
        }
        if (evaluation.Pairs == 0) throw new InvalidDataException("no image pair could be read");
        var figures = evaluation.Result();
        var result = new Result(features.Selected.Length, features.Suppressed.Length, features.Suppressed, features.ImagesWith, features.ImagesWithout,
            evaluation.Pairs, figures.CleanAccuracy, figures.WordsAccuracy, figures.FlipRate, figures.WrittenClassRate);
        return new JobOutcome(JobContext.ToJson(result));
    }

    /// <summary>The pairs of a chunk whose two images both decoded, added to the evaluation.</summary>
    static void Classify(SteeringSession session, Dictionary<string, int> classes, CorpusEntries clean, CorpusEntries words,
        (int Clean, int Words)[] chunk, LoadedImages cleanImages, LoadedImages wordsImages, TypographicEvaluation into)
    {
        int per = session.Target.Model.Preprocessor.FloatsPerImage;
        var cleanAt = cleanImages.Images.Select((r, k) => (r.ImageId, k)).ToDictionary(x => x.ImageId, x => x.k, StringComparer.Ordinal);
        var wordsAt = wordsImages.Images.Select((r, k) => (r.ImageId, k)).ToDictionary(x => x.ImageId, x => x.k, StringComparer.Ordinal);
        var both = chunk.Where(x => cleanAt.ContainsKey(clean.Items[x.Clean].ImageId) && wordsAt.ContainsKey(words.Items[x.Words].ImageId)).ToArray();
        if (both.Length == 0) return;
        var cleanPixels = new float[both.Length * per]; var wordsPixels = new float[both.Length * per];
        var truth = new int[both.Length]; var written = new int[both.Length];
        for (int k = 0; k < both.Length; k++)
        {
            var (c, w) = both[k];
            cleanImages.Pixels.AsSpan(cleanAt[clean.Items[c].ImageId] * per, per).CopyTo(cleanPixels.AsSpan(k * per, per));
            wordsImages.Pixels.AsSpan(wordsAt[words.Items[w].ImageId] * per, per).CopyTo(wordsPixels.AsSpan(k * per, per));
            string label = clean.Items[c].Label ?? words.Items[w].Label
                ?? throw new InvalidDataException($"image '{clean.Items[c].ImageId}' has no label in either corpus");
            truth[k] = classes.TryGetValue(label, out int t) ? t
                : throw new InvalidDataException($"label '{label}' of image '{clean.Items[c].ImageId}' is not a concept of the vocabulary");
            written[k] = words.Fields[w].TryGetValue(WrittenClassField, out var name) && classes.TryGetValue(name, out int wc) ? wc : -1;
        }
        into.Add(cleanPixels, wordsPixels, both.Length, truth, written);
    }
}
