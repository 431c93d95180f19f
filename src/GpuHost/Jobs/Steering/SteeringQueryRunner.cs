using Actors.Analysis.Steering;
using Actors.Grains.Hosts;
using Actors.Grains.Steering;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// A synchronous steering query (<see cref="IModelHostGrain.SteerAsync"/>): at most <see cref="MaxImages"/> images,
/// the interventions spliced at the SAE's hook with the error term kept, and per image the top concepts of CLIP's
/// distribution over the vocabulary before and after. A bad field (an image not in its corpus, a latent out of range,
/// an unknown op) fails with <see cref="InvalidArtifactException"/> naming it, e.g. "images[2].imageId".
/// </summary>
public sealed class SteeringQueryRunner(SteeringSessions sessions)
{
    public const int MaxImages = 16, MaxInterventions = 4096, MaxTop = 1000;

    public async Task<SteeringAnswer> RunAsync(SteeringQuery query, CancellationToken ct = default)
    {
        if (query.Images is not { Length: > 0 and <= MaxImages })
            throw new InvalidArtifactException("images", $"give 1..{MaxImages} images (more belong in a job)");
        if (query.Top is < 1 or > MaxTop) throw new InvalidArtifactException("top", $"top must be 1..{MaxTop}");
        if ((query.Interventions?.Length ?? 0) > MaxInterventions)
            throw new InvalidArtifactException("interventions", $"at most {MaxInterventions} interventions");
        var session = await sessions.OpenAsync(query.SaeId, query.VocabularyId);
        var splice = new SteeringSplice(session.Target.Autoencoder, Interventions(query.Interventions ?? [], session.LatentCount));
        var (pixels, labels) = await LoadAsync(session, query.Images, ct);
        int n = query.Images.Length, m = session.Vocabulary.Count;
        var (before, after) = await Task.Run(() => (session.Before(pixels, n), session.After(pixels, n, splice)), ct);
        var images = new SteeredImage[n];
        for (int i = 0; i < n; i++)
        {
            var p = before.AsSpan(i * m, m); var q = after.AsSpan(i * m, m);
            double tv = 0;
            for (int v = 0; v < m; v++) tv += Math.Abs((double)q[v] - p[v]);
            images[i] = new SteeredImage(query.Images[i].CorpusId, query.Images[i].ImageId, labels[i],
                Top(p, query.Top, session), Top(q, query.Top, session), tv / 2);
        }
        return new SteeringAnswer(query.SaeId, query.VocabularyId, query.Interventions ?? [], images);
    }

    static LatentIntervention[] Interventions(SteeringEdit[] edits, int latents) => edits.Select((e, i) =>
    {
        if (!LatentIntervention.TryParseOp(e.Op, out var op))
            throw new InvalidArtifactException($"interventions[{i}].op", $"op '{e.Op}' is not one of set, scale, add");
        if ((uint)e.Latent >= (uint)latents)
            throw new InvalidArtifactException($"interventions[{i}].latent", $"latent {e.Latent} is outside 0..{latents - 1}");
        if (!float.IsFinite(e.Value)) throw new InvalidArtifactException($"interventions[{i}].value", "value must be a finite number");
        return new LatentIntervention(e.Latent, op, e.Value);
    }).ToArray();

    /// <summary>Pixels (n, C, H, W) in request order and each image's label; each corpus is read once.</summary>
    async Task<(float[] Pixels, string?[] Labels)> LoadAsync(SteeringSession session, SteeringImage[] requested, CancellationToken ct)
    {
        int per = session.Target.Model.Preprocessor.FloatsPerImage;
        var pixels = new float[requested.Length * per];
        var labels = new string?[requested.Length];
        foreach (var group in requested.Select((image, i) => (image, i)).GroupBy(x => x.image.CorpusId, StringComparer.Ordinal))
        {
            int first = group.First().i;
            var corpus = await CorpusEntries.LoadAsync(sessions.Grains, group.Key, $"images[{first}].corpusId");
            var wanted = group.Select(x => (x.i, Index: corpus.IndexOf(x.image.ImageId))).ToArray();
            if (wanted.FirstOrDefault(w => w.Index < 0) is { Index: < 0 } missing)
                throw new InvalidArtifactException($"images[{missing.i}].imageId", $"corpus '{group.Key}' has no image '{requested[missing.i].ImageId}'");
            var loaded = await session.LoadAsync(group.Key, wanted.Select(w => corpus.Items[w.Index]).ToArray(), ct);
            if (loaded.Failures.Length > 0)
            {
                int bad = wanted.First(w => corpus.Items[w.Index].ImageId == loaded.Failures[0].Path).i;
                throw new InvalidArtifactException($"images[{bad}].imageId", $"image '{requested[bad].ImageId}' cannot be read: {loaded.Failures[0].Reason}");
            }
            for (int k = 0; k < wanted.Length; k++)
            {
                loaded.Pixels.AsSpan(k * per, per).CopyTo(pixels.AsSpan(wanted[k].i * per, per));
                labels[wanted[k].i] = loaded.Labels[k];
            }
        }
        return (pixels, labels);
    }

    static ConceptProbability[] Top(ReadOnlySpan<float> p, int count, SteeringSession session)
    {
        var scores = p.ToArray();
        return Enumerable.Range(0, scores.Length).OrderByDescending(v => scores[v]).ThenBy(v => v).Take(count)
            .Select(v => new ConceptProbability(session.Vocabulary.Concepts.Labels[v], scores[v])).ToArray();
    }
}
