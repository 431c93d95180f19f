using Actors.Analysis.Steering;
using Actors.Grains.Latents;
using Actors.Grains.Steering;
using Orleans;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Job "steering-sweep" (seed 001 Sec. 6.1, Fig. 5): the latent's activation replaced by each strength s on every
/// hooked row of the corpus's first images; per s, ΔP_f and S_f (Eq. 4-5) and D_f (Eq. 10-11) against CLIP as it
/// is. The sweep is stored on the latent's grain (its view shows it) and is the job's result.
/// </summary>
public sealed class SteeringSweepHandler(IGrainFactory grains, SteeringSessions sessions) : IJobHandler
{
    public const string JobKind = "steering-sweep";
    public string Kind => JobKind;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<SteeringSweepParameters>();
        SteeringChecks.ThrowIfAny(p.Problem());
        var session = await sessions.OpenAsync(p.SaeId, p.VocabularyId);
        if ((uint)p.Latent >= (uint)session.LatentCount) throw new ArgumentException($"latent: {p.Latent} is outside 0..{session.LatentCount - 1}");
        var corpus = await CorpusEntries.LoadAsync(grains, p.CorpusId, "corpusId");
        var splices = p.Strengths.Select(s => new SteeringSplice(session.Target.Autoencoder, [new LatentIntervention(p.Latent, SteeringOp.Set, (float)s)])).ToArray();
        var sums = p.Strengths.Select(_ => new FeatureSteerabilitySums(session.Vocabulary.Count)).ToArray();
        var indices = Enumerable.Range(0, Math.Min(p.MaxImages, corpus.Items.Count)).ToArray();
        int done = 0;
        await foreach (var batch in session.BatchesAsync(corpus, indices, cancellationToken))
        {
            var before = session.Before(batch.Pixels, batch.Count);
            for (int k = 0; k < splices.Length; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sums[k].Add(before, session.After(batch.Pixels, batch.Count, splices[k]), batch.Count);
            }
            done += batch.Count;
            context.Report(done, indices.Length, "steering");
        }
        if (sums[0].Images == 0) throw new InvalidDataException($"corpus '{p.CorpusId}': none of its first {indices.Length} images could be read");

        var labels = session.Vocabulary.Concepts.Labels;
        var points = p.Strengths.Select((s, k) =>
        {
            var f = sums[k].Result(session.Vocabulary.DistanceToMean);
            return new SteeringSweepPoint(s, f.Steerability, f.ConceptDistance, ConceptRanking.TopShifts(f, labels), ConceptRanking.TopSteered(f, labels));
        }).ToArray();
        var sweep = new SteeringSweep(p.VocabularyId, p.CorpusId, sums[0].Images, points, context.JobId, DateTimeOffset.UtcNow);
        await grains.GetGrain<ILatentGrain>(LatentKey.Of(p.SaeId, p.Latent)).SetSteeringSweepAsync(sweep);
        return new JobOutcome(JobContext.ToJson(sweep));
    }
}
