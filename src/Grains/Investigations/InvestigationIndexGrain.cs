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

    /// <summary>
    /// A retraining asks here which investigations to carry notes in. This index is already written whenever an
    /// investigation's listing changes (title, members, the items it lists), so keeping the SAEs of its latents in the same
    /// summary costs no further write and no second record to keep in step (as a per-SAE list beside the investigations
    /// would); one read finds them all.
    /// A summary stored before it had the SAEs (null) counts, so such an investigation is visited rather than missed.
    /// </summary>
    public Task<string[]> ListingLatentsOfAsync(string saeId) => Task.FromResult(state.State.Investigations.Values
        .Where(i => i.LatentSaeIds is null || i.LatentSaeIds.Contains(saeId, StringComparer.Ordinal))
        .Select(i => i.InvestigationId).Order(StringComparer.Ordinal).ToArray());

    public Task<InvestigationSummary[]> ListForAsync(string userId) => Task.FromResult(state.State.Investigations.Values
        .Where(i => i.MemberIds.Contains(userId)).OrderBy(i => i.Title, StringComparer.OrdinalIgnoreCase).ToArray());
}
