using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Identity;

/// <summary>One day's audit log, stored on every append (an entry the caller saw acknowledged is never lost).</summary>
[GrainType("audit-log")]
public sealed class AuditLogGrain([PersistentState("audit")] IPersistentState<AuditLogState> state) : Grain, IAuditLogGrain
{
    public async Task AppendAsync(AuditEntry entry)
    {
        state.State.Entries.Add(entry);
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<AuditEntry[]> ListAsync() => Task.FromResult(state.State.Entries.ToArray());
}
