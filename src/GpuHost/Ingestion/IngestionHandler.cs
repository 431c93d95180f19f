using Actors.GpuHost.Jobs;
using Actors.Grains.Hosts;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Runs job "ingestion" (<see cref="IngestionRequest"/>, submitted by the corpus grain when it accepts a start) through
/// <see cref="IngestionJob"/>, in <see cref="IngestionOptions.MaxConcurrentJobs"/> job slots of its own so an ingestion
/// never waits behind an analysis (nor the labelling jobs it queues at its end behind it). Progress is images done of
/// the corpus's total, with the batches as figures. A resumed or restarted job continues past the batches the corpus's
/// ledger recorded; a cancelled one stops at the next batch (the corpus then says cancelled).
/// </summary>
public sealed class IngestionHandler(IngestionJob ingestion, IngestionOptions options) : IJobHandler
{
    public string Kind => IngestionRequest.JobKind;

    public int OwnSlots => Math.Max(1, options.MaxConcurrentJobs);

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var request = context.Parameters<IngestionRequest>();
        if (string.IsNullOrWhiteSpace(request.CorpusId) || string.IsNullOrWhiteSpace(request.SaeId))
            throw new ArgumentException($"job '{context.JobId}': corpusId and saeId are required");
        var result = await ingestion.RunAsync(request, cancellationToken, p => context.Report(p.ImagesDone, p.ImagesTotal, p.Stage,
            new Dictionary<string, double> { ["batchesDone"] = p.BatchesDone, ["batchesTotal"] = p.BatchesTotal }));
        return new JobOutcome(JobContext.ToJson(result));
    }
}
