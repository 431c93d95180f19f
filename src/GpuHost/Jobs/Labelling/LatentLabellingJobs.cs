using System.Diagnostics;
using Actors.Cluster;
using Actors.Grains.Concepts;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.GpuHost.Jobs.Labelling;

/// <summary>
/// Submitting "latent-labels" jobs: on request, for every SAE of a newly registered vocabulary's model, and for every
/// vocabulary of an SAE's model once an ingestion (which changes reference images) completes.
/// </summary>
public static class LatentLabellingJobs
{
    public const string Kind = "latent-labels";

    public static Task<JobView> SubmitAsync(IGrainFactory grains, string saeId, string vocabularyId) =>
        JobSubmission.SubmitAsync(grains, Kind, new LatentLabellingParameters(saeId, vocabularyId), subject: saeId);

    /// <summary>One job per registered SAE that reads <paramref name="modelId"/>.</summary>
    public static async Task<JobView[]> ForVocabularyAsync(IGrainFactory grains, string vocabularyId, string modelId)
    {
        var registry = grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey);
        var jobs = new List<JobView>();
        foreach (var saeId in await registry.ListAsync(RegistryKind.Sae))
            if ((await grains.GetGrain<ISaeGrain>(saeId).GetAsync()).Record?.ModelId == modelId)
                jobs.Add(await SubmitAsync(grains, saeId, vocabularyId));
        return [.. jobs];
    }

    /// <summary>One job per registered vocabulary embedded by the SAE's model.</summary>
    public static async Task<JobView[]> ForSaeAsync(IGrainFactory grains, string saeId)
    {
        // The reads are retried while a silo fails over (an ingestion that just completed calls this); a submission
        // is not, as a retried one could queue a second job.
        if ((await GrainRetry.CallAsync(grains.GetGrain<ISaeGrain>(saeId).GetAsync)).Record is not { } sae) return [];
        var jobs = new List<JobView>();
        foreach (var vocabularyId in await GrainRetry.CallAsync(() => grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Vocabulary)))
            if ((await GrainRetry.CallAsync(grains.GetGrain<IVocabularyGrain>(vocabularyId).GetAsync))?.ModelId == sae.ModelId)
                jobs.Add(await SubmitAsync(grains, saeId, vocabularyId));
        return [.. jobs];
    }

    /// <summary>
    /// <see cref="ForSaeAsync"/> once an ingestion through the SAE completed: the ids of the jobs it queued (they run in
    /// the shared job slots; the ingestion does not wait for them). The corpus is complete whatever happens here, so a
    /// failure is only traced (POST /api/saes/{saeId}/labelling submits the job by hand).
    /// </summary>
    public static async Task<string[]> AfterIngestionAsync(IGrainFactory grains, string saeId)
    {
        try { return [.. (await ForSaeAsync(grains, saeId)).Select(j => j.JobId)]; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Trace.TraceWarning($"labelling jobs for SAE '{saeId}' after ingestion were not submitted: {e.Message}");
            return [];
        }
    }
}
