using Actors.Analysis.Steering;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Grains.Steering;
using Orleans;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Job "steerability" (seed 001 Sec. 6.1.2, 6.2.2, Fig. 6): every latent of a sample (or all) set to one strength on
/// the corpus's first images, S_f of each, and the layer's S, #S and #C (Eq. 6-8) with the histogram of S_f. The
/// report is stored on the SAE's grain; the result adds every sampled latent's S_f; the plot is the histogram.
/// </summary>
public sealed class SteerabilityHandler(IGrainFactory grains, SteeringSessions sessions) : IJobHandler
{
    public const string JobKind = "steerability";
    const int MostSteerableShown = 25;
    public string Kind => JobKind;

    /// <summary>The job's result: the stored report and every sampled latent's S_f, in latent order.</summary>
    public sealed record Result(SteerabilityReport Report, LatentSteerability[] Latents);

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<SteerabilityParameters>();
        SteeringChecks.ThrowIfAny(p.Problem());
        var session = await sessions.OpenAsync(p.SaeId, p.VocabularyId);
        var corpus = await CorpusEntries.LoadAsync(grains, p.CorpusId, "corpusId");
        var latents = SteerabilityScan.Sample(session.LatentCount, p.Sample, p.Seed);
        var batches = new List<LoadedImages>();
        await foreach (var batch in session.BatchesAsync(corpus, Enumerable.Range(0, Math.Min(p.MaxImages, corpus.Items.Count)).ToArray(), cancellationToken))
            batches.Add(batch);
        if (batches.Count == 0) throw new InvalidDataException($"corpus '{p.CorpusId}': none of its first {p.MaxImages} images could be read");

        var scores = SteerabilityScan.Run(session.Model, latents, [.. batches.Select(b => (b.Pixels, b.Count))], p.Strength,
            (done, mean) => context.Report(done, latents.Length, "steering latents", new Dictionary<string, double> { ["meanSteerability"] = mean }),
            cancellationToken);
        var layer = scores.Layer(p.Gamma, p.Beta);
        var labels = session.Vocabulary.Concepts.Labels;
        var all = latents.Select((j, f) => new LatentSteerability(j, scores.Steerability[f], labels[scores.PromotedConcept[f]])).ToArray();
        var report = new SteerabilityReport(p.VocabularyId, p.CorpusId, p.Strength, p.Gamma, p.Beta, p.Seed,
            latents.Length, session.LatentCount, batches.Sum(b => b.Count),
            layer.MeanSteerability, layer.SteerableFraction, layer.SteerableCount, layer.ConceptCoverage, layer.ConceptsCovered,
            layer.Histogram.Edges, layer.Histogram.Counts,
            [.. all.OrderByDescending(l => l.Steerability).ThenBy(l => l.Latent).Take(MostSteerableShown)],
            context.JobId, DateTimeOffset.UtcNow);
        await grains.GetGrain<ISaeGrain>(p.SaeId).SetSteerabilityAsync(report);
        return new JobOutcome(JobContext.ToJson(new Result(report, all)), SteerabilityPlot.Render(report));
    }
}
