using System.Threading.Channels;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Orleans;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Runs ingestion requests in the background: a queue that accepts new corpora while others run (continuous
/// ingestion), up to <see cref="IngestionOptions.MaxConcurrentJobs"/> at once. On start it resumes corpora that a
/// previous process left in the "ingesting" state. A failing job marks its corpus failed with the reason; it never
/// stops the service.
/// </summary>
public sealed class IngestionService(IGrainFactory grains, IngestionJob job, IngestionOptions options,
    ILogger<IngestionService> logger) : BackgroundService, IIngestionQueue
{
    readonly Channel<IngestionRequest> queue = Channel.CreateUnbounded<IngestionRequest>();

    public ValueTask EnqueueAsync(IngestionRequest request, CancellationToken cancellationToken = default) =>
        queue.Writer.WriteAsync(request, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ResumeOnStart) await ResumeInterruptedAsync();
        var workers = Enumerable.Range(0, Math.Max(1, options.MaxConcurrentJobs)).Select(_ => WorkAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    logger.LogInformation("ingesting corpus {Corpus} through SAE {Sae}", request.CorpusId, request.SaeId);
                    await job.RunAsync(request, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
                catch (Exception e)
                {
                    logger.LogError(e, "ingestion of corpus {Corpus} failed", request.CorpusId);
                    await grains.GetGrain<ICorpusGrain>(request.CorpusId).FinishAsync(e.Message);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    async Task ResumeInterruptedAsync()
    {
        var corpora = await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Corpus);
        foreach (var id in corpora)
        {
            var view = await grains.GetGrain<ICorpusGrain>(id).GetAsync();
            if (view is { Status: CorpusStatus.Ingesting, SaeId: { } saeId })
            {
                logger.LogInformation("resuming corpus {Corpus} after batch {Batch}", id, view.DurableThrough);
                await EnqueueAsync(new IngestionRequest(id, saeId, view.VocabularyId));
            }
        }
    }
}
