using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Jobs;

/// <summary>The job listing: one summary per job, written through (jobs change status a handful of times each).</summary>
[GrainType("job-index")]
public sealed class JobIndexGrain([PersistentState("job-index")] IPersistentState<JobIndexState> state) : Grain, IJobIndexGrain
{
    public async Task UpsertAsync(JobSummary summary)
    {
        if (state.State.Jobs.TryGetValue(summary.JobId, out var known) && known == summary) return;
        state.State.Jobs[summary.JobId] = summary;
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<JobSummary[]> ListAsync(string? kind = null, JobStatus? status = null) => Task.FromResult(state.State.Jobs.Values
        .Where(j => (kind is null || j.Kind == kind) && (status is null || j.Status == status))
        .OrderByDescending(j => j.SubmittedAt).ThenBy(j => j.JobId, StringComparer.Ordinal).ToArray());

    public Task<JobSummary[]> ListUnendedAsync() => Task.FromResult(state.State.Jobs.Values
        .Where(j => !j.Status.IsEnded()).OrderBy(j => j.SubmittedAt).ToArray());
}
