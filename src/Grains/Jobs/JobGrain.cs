using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Jobs;

/// <summary>
/// A job's durable record and lease. Every change is stored before it is answered, so a job survives a silo restart;
/// a host that dies leaves a lease that runs out, and the next host to scan claims the job again.
/// </summary>
[GrainType("job")]
public sealed class JobGrain([PersistentState("job")] IPersistentState<JobState> state, TimeProvider clock) : Grain, IJobGrain
{
    string Id => this.GetPrimaryKeyString();
    DateTimeOffset Now => clock.GetUtcNow();

    public async Task<JobView> SubmitAsync(JobSpec spec)
    {
        if (state.State.Spec is null)
        {
            if (string.IsNullOrWhiteSpace(spec.Kind)) throw new ArgumentException($"job '{Id}': a job needs a kind");
            state.State.Spec = spec;
            state.State.Status = JobStatus.Queued;
            state.State.SubmittedAt = Now;
            await SaveAsync();
        }
        return View();
    }

    public async Task<JobClaim> ClaimAsync(string host, TimeSpan lease)
    {
        var s = state.State;
        if (s.Spec is null) return new(false, null, 0, $"job '{Id}' was never submitted");
        bool claimable = s.Status == JobStatus.Queued
            || (s.Status == JobStatus.Running && (s.LeaseUntil <= Now || s.Host == host));
        if (!claimable) return new(false, null, s.Attempts, $"job '{Id}' is {s.Status.ToString().ToLowerInvariant()}" +
            (s.Status == JobStatus.Running ? $" on {s.Host} until {s.LeaseUntil:O}" : ""));
        if (s.CancelRequested)
        {
            End(JobStatus.Cancelled);
            await SaveAsync();
            return new(false, null, s.Attempts, $"job '{Id}' was cancelled");
        }
        s.Status = JobStatus.Running;
        s.Host = host;
        s.Attempts++;
        s.StartedAt ??= Now;
        s.LeaseUntil = Now + lease;
        await SaveAsync();
        return new(true, s.Spec, s.Attempts, null);
    }

    public async Task<bool> HeartbeatAsync(string host, JobProgress progress, TimeSpan lease)
    {
        var s = state.State;
        if (s.Status != JobStatus.Running || s.Host != host) return false;
        s.Progress = progress;
        s.LeaseUntil = Now + lease;
        await SaveAsync();
        return !s.CancelRequested;
    }

    public async Task SucceedAsync(string host, string result, string? plotHash)
    {
        if (!Holds(host)) return;
        state.State.Result = result;
        state.State.PlotHash = plotHash;
        End(JobStatus.Succeeded);
        await SaveAsync();
    }

    public async Task FailAsync(string host, string error)
    {
        if (!Holds(host)) return;
        state.State.Error = error;
        End(JobStatus.Failed);
        await SaveAsync();
    }

    public async Task AcknowledgeCancelAsync(string host)
    {
        if (!Holds(host)) return;
        End(JobStatus.Cancelled);
        await SaveAsync();
    }

    public async Task<JobView> CancelAsync()
    {
        var s = state.State;
        if (s.Spec is null) throw new KeyNotFoundException($"job '{Id}' does not exist");
        if (s.Status == JobStatus.Queued) End(JobStatus.Cancelled);
        else if (s.Status == JobStatus.Running) s.CancelRequested = true;
        else return View();
        await SaveAsync();
        return View();
    }

    public Task<JobView?> GetAsync() => Task.FromResult(state.State.Spec is null ? null : View());

    /// <summary>An end reported by a host that no longer holds the job (its lease ran out and another took it) is ignored.</summary>
    bool Holds(string host) => state.State.Status == JobStatus.Running && state.State.Host == host;

    void End(JobStatus status)
    {
        state.State.Status = status;
        state.State.EndedAt = Now;
        state.State.LeaseUntil = default;
    }

    /// <summary>The status the job index last heard from this activation: heartbeats change none of the listing.</summary>
    JobStatus? indexed;

    async Task SaveAsync()
    {
        await this.WriteOrDeactivateAsync(state);
        var s = state.State;
        if (indexed == s.Status) return;
        await GrainFactory.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).UpsertAsync(new JobSummary(Id, s.Spec!.Kind, s.Spec.Subject, s.Status, s.SubmittedAt));
        indexed = s.Status;
    }

    JobView View()
    {
        var s = state.State;
        return new JobView(Id, s.Spec!.Kind, s.Spec.Subject, s.Status, s.Progress, s.Spec.Parameters, s.Result, s.PlotHash,
            s.Error, s.SubmittedAt, s.StartedAt, s.EndedAt, s.Attempts, s.Host, s.CancelRequested);
    }
}
