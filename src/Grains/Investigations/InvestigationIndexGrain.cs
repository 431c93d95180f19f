using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Investigations;

[GrainType("investigation-index")]
public sealed class InvestigationIndexGrain([PersistentState("investigation-index")] IPersistentState<InvestigationIndexState> state)
    : Grain, IInvestigationIndexGrain
{
    public async Task UpsertAsync(InvestigationSummary summary)
    {
        state.State.Investigations[summary.InvestigationId] = summary;
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<InvestigationSummary[]> ListForAsync(string userId) => Task.FromResult(state.State.Investigations.Values
        .Where(i => i.MemberIds.Contains(userId)).OrderBy(i => i.Title, StringComparer.OrdinalIgnoreCase).ToArray());
}
