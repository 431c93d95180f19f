using Orleans;

namespace Actors.Grains.Investigations;

/// <summary>
/// One investigation, key "{id}". Every change names the version it was made against and is refused with
/// <see cref="StaleVersionException"/> when another change came first, so concurrent edits never lose an update.
/// Roles are checked by the caller (the API), which knows who is calling; the grain keeps the data consistent.
/// </summary>
[Alias("actors.IInvestigationGrain")]
public interface IInvestigationGrain : IGrainWithStringKey
{
    Task<InvestigationView> CreateAsync(string title, string description, InvestigationMember owner);
    Task<InvestigationView?> GetAsync();
    Task<InvestigationView> UpdateAsync(long version, string? title, string? description);
    /// <summary>Sets a member's role, or removes the member when <paramref name="role"/> is null; the last owner cannot go.</summary>
    Task<InvestigationView> SetMemberAsync(long version, string userId, string name, InvestigationRole? role);
    Task<InvestigationView> AddItemAsync(long version, string kind, string reference, string addedBy);
    Task<InvestigationView> RemoveItemAsync(long version, string itemId);
    Task<InvestigationView> AddNoteAsync(long version, string itemId, InvestigationNote note);
    Task<InvestigationView> VoteAsync(long version, string itemId, LabelVote vote);
    Task<InvestigationView> PinAsync(long version, PinnedEvidence evidence);
    Task<InvestigationView> WatchAsync(long version, LatentWatch watch);
    /// <summary>
    /// After a retraining: every listed latent of <see cref="NoteCarry.FromSaeId"/> that has a successor gets it listed
    /// (unless it is already) with copies of its notes, each marked <see cref="InvestigationNote.CarriedFrom"/>. One
    /// change (one version) for all of them; a note already carried is not copied again, and when nothing is left to
    /// carry the version stays as it is, so a retraining job that repeats the stage changes nothing.
    /// </summary>
    Task<InvestigationView> CarryNotesAsync(long version, NoteCarry carry);
}

/// <summary>The listing of investigations with their members (key <see cref="Key"/>).</summary>
[Alias("actors.IInvestigationIndexGrain")]
public interface IInvestigationIndexGrain : IGrainWithStringKey
{
    const string Key = "investigations";
    Task UpsertAsync(InvestigationSummary summary);
    Task<InvestigationSummary[]> ListForAsync(string userId);
    /// <summary>The investigations that list a latent of <paramref name="saeId"/> (and any whose summary predates that record).</summary>
    Task<string[]> ListingLatentsOfAsync(string saeId);
}
