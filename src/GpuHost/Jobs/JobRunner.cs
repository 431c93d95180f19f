using System.Collections.Concurrent;
using System.Threading.Channels;
using Actors.Cluster;
using Actors.Grains.Blobs;
using Actors.Grains.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;

namespace Actors.GpuHost.Jobs;

/// <summary>
/// Runs jobs on this host. Jobs arrive by a wake-up (<see cref="JobHostGrain"/>, right after submission) or by the
/// periodic scan of unended jobs, which is also how a job whose host died is found once its lease runs out. A woken
/// job goes to its kind's lane: the slots of its own that its handler asks for (<see cref="IJobHandler.OwnSlots"/>:
/// ingestion), or the <see cref="JobOptions.MaxConcurrentJobs"/> slots the other kinds share. A job runs only after
/// its grain grants this host the lease; heartbeats store progress and extend the lease, and a heartbeat answered
/// "stop" (the job was cancelled) cancels the handler. A host that is shutting down leaves its jobs running under a
/// lease that runs out, so another host (or this one, restarted) resumes them.
/// </summary>
public sealed class JobRunner(IGrainFactory grains, IEnumerable<IJobHandler> handlers, IBlobStore blobs, JobOptions options,
    ILogger<JobRunner> logger) : BackgroundService
{
    readonly Channel<string> wakeups = Channel.CreateUnbounded<string>();
    /// <summary>Jobs waiting in a lane here or running here: a wake-up or scan meanwhile does not queue them again.</summary>
    readonly ConcurrentDictionary<string, byte> taken = new();
    readonly Dictionary<string, IJobHandler> byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
    readonly Lane shared = new(Math.Max(1, options.MaxConcurrentJobs));
    readonly Dictionary<string, Lane> ownLanes = handlers.Where(h => h.OwnSlots > 0)
        .ToDictionary(h => h.Kind, h => new Lane(h.OwnSlots), StringComparer.Ordinal);

    /// <summary>Slots and the queue in front of them.</summary>
    sealed class Lane(int slots)
    {
        public int Slots { get; } = slots;
        public Channel<string> Queue { get; } = Channel.CreateUnbounded<string>();
    }

    /// <summary>This host's name in leases: unique per process.</summary>
    public string HostId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";


    public void Wake(string jobId) => wakeups.Writer.TryWrite(jobId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = ownLanes.Values.Append(shared)
            .SelectMany(lane => Enumerable.Range(0, lane.Slots).Select(_ => WorkAsync(lane, stoppingToken)));
        await Task.WhenAll(workers.Append(DispatchAsync(stoppingToken)).Append(ScanAsync(stoppingToken)));
    }

    async Task ScanAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.ScanSeconds));
        do
        {
            try
            {
                foreach (var job in await grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListUnendedAsync())
                    if (byKind.ContainsKey(job.Kind) && !taken.ContainsKey(job.JobId)) Wake(job.JobId);
            }
            catch (Exception e) when (GrainRetry.IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("job scan failed ({Error}); next scan in {Seconds} s", e.Message, options.ScanSeconds);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>
    /// Queues each woken job in its kind's lane, once while it waits or runs here. Ended jobs and kinds this host has
    /// no handler for (another host's) are left alone; a job that could not be read now is woken again by the scan.
    /// </summary>
    async Task DispatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var jobId in wakeups.Reader.ReadAllAsync(stoppingToken))
            {
                if (taken.ContainsKey(jobId)) continue;
                try
                {
                    var view = await grains.GetGrain<IJobGrain>(jobId).GetAsync();
                    if (view is null || view.Status.IsEnded() || !byKind.ContainsKey(view.Kind)) continue;
                    if (taken.TryAdd(jobId, 0)) (ownLanes.GetValueOrDefault(view.Kind) ?? shared).Queue.Writer.TryWrite(jobId);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("job {Job}: not read ({Error}); the next scan wakes it again", jobId, e.Message);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    async Task WorkAsync(Lane lane, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var jobId in lane.Queue.Reader.ReadAllAsync(stoppingToken))
            {
                try { await RunOneAsync(jobId, stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
                catch (Exception e) { logger.LogError(e, "job {Job}: could not be run or ended", jobId); }
                finally { taken.TryRemove(jobId, out _); }
            }
        }
        catch (OperationCanceledException) { }
    }

    async Task RunOneAsync(string jobId, CancellationToken stoppingToken)
    {
        var job = grains.GetGrain<IJobGrain>(jobId);
        var claim = await job.ClaimAsync(HostId, options.Lease);
        if (!claim.Granted) return;
        var spec = claim.Spec!;
        var handler = byKind[spec.Kind];   // dispatched to this lane because this host handles the kind
        logger.LogInformation("job {Job} ({Kind}) attempt {Attempt} runs here", jobId, spec.Kind, claim.Attempt);

        var context = new JobContext(jobId, spec, claim.Attempt);
        using var cancelled = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, cancelled.Token);
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var beating = HeartbeatAsync(job, context, cancelled, heartbeats.Token);
        async Task StopHeartbeatsAsync() { await heartbeats.CancelAsync(); await beating; }
        try
        {
            var outcome = await handler.RunAsync(context, stop.Token);
            await StopHeartbeatsAsync();
            string? plot = outcome.Plot is { } png ? await blobs.PutAsync(png, stoppingToken) : null;
            await job.HeartbeatAsync(HostId, context.Progress, options.Lease);
            await job.SucceedAsync(HostId, outcome.Result, plot);
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            await StopHeartbeatsAsync();
            await job.AcknowledgeCancelAsync(HostId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;   // shutting down: the lease runs out and the job is resumed
        }
        catch (Exception e) when (GrainRetry.IsTransient(e))
        {
            // A grain the job needed was on a silo that died (past the calls' own retries): not the job's fault, so it is
            // not failed. Its lease runs out and a scan claims it again, as for a host that died, and the next attempt
            // resumes from what the job recorded.
            await StopHeartbeatsAsync();
            logger.LogWarning("job {Job} ({Kind}): attempt {Attempt} stopped on a transient error, to be claimed again: {Error}",
                jobId, spec.Kind, claim.Attempt, e.Message);
        }
        catch (Exception e)
        {
            await StopHeartbeatsAsync();
            logger.LogError(e, "job {Job} ({Kind}) failed", jobId, spec.Kind);
            await job.FailAsync(HostId, e.Message);
        }
    }

    async Task HeartbeatAsync(IJobGrain job, JobContext context, CancellationTokenSource cancel, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.HeartbeatSeconds));
        while (await WaitAsync(timer, ct))
        {
            try
            {
                if (!await job.HeartbeatAsync(HostId, context.Progress, options.Lease)) { await cancel.CancelAsync(); return; }
            }
            catch (Exception e) when (GrainRetry.IsTransient(e))
            {
                logger.LogWarning("job {Job}: heartbeat failed ({Error})", context.JobId, e.Message);
            }
        }
    }
}
