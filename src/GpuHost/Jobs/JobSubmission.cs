using System.Text.Json;
using Actors.Cluster;
using Actors.Grains.Jobs;
using Orleans;

namespace Actors.GpuHost.Jobs;

/// <summary>Queues a job and wakes a host for it (if none is reachable now, the hosts' periodic scan finds it later).</summary>
public static class JobSubmission
{
    public static async Task<JobView> SubmitAsync(IGrainFactory grains, string kind, object parameters, string? subject)
    {
        string id = $"{kind}-{Guid.NewGuid().ToString("N")[..12]}";
        var view = await grains.GetGrain<IJobGrain>(id).SubmitAsync(new JobSpec(kind, JsonSerializer.Serialize(parameters, JsonSerializerOptions.Web), subject));
        try { await grains.GetGrain<IJobHostGrain>(0).EnqueueAsync(id); }
        catch (Exception e) when (GrainRetry.IsTransient(e)) { }
        return view;
    }
}
