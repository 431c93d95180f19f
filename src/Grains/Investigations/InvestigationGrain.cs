using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Investigations;

[GrainType("investigation")]
public sealed class InvestigationGrain([PersistentState("investigation")] IPersistentState<InvestigationState> state, TimeProvider clock) : Grain, IInvestigationGrain
{
    string Id => this.GetPrimaryKeyString();
    InvestigationState S => state.State;

    public async Task<InvestigationView> CreateAsync(string title, string description, InvestigationMember owner)
    {
        if (S.Title is not null) throw new InvalidOperationException($"investigation '{Id}' exists");
        S.Title = title;
        S.Description = description;
        S.Members = [owner with { Role = InvestigationRole.Owner }];
        S.CreatedAt = clock.GetUtcNow();
        return await SaveAsync();
    }

    public Task<InvestigationView?> GetAsync() => Task.FromResult(S.Title is null ? null : View());

    public Task<InvestigationView> UpdateAsync(long version, string? title, string? description) => ChangeAsync(version, () =>
    {
        if (title is not null) S.Title = title;
        if (description is not null) S.Description = description;
    });

    public Task<InvestigationView> SetMemberAsync(long version, string userId, string name, InvestigationRole? role) => ChangeAsync(version, () =>
    {
        var current = S.Members.FirstOrDefault(m => m.UserId == userId);
        bool lastOwner = current?.Role == InvestigationRole.Owner && S.Members.Count(m => m.Role == InvestigationRole.Owner) == 1;
        if (lastOwner && role != InvestigationRole.Owner)
            throw new InvalidOperationException($"user '{name}' is the investigation's last owner; make another member owner first");
        S.Members.RemoveAll(m => m.UserId == userId);
        if (role is { } r) S.Members.Add(new InvestigationMember(userId, name, r));
    });

    public Task<InvestigationView> AddItemAsync(long version, string kind, string reference, string addedBy) => ChangeAsync(version, () =>
    {
        if (!InvestigationItem.Kinds.Contains(kind)) throw new ArgumentException($"item kind '{kind}' is not one of {string.Join(", ", InvestigationItem.Kinds)}");
        if (S.Items.Any(i => i.Kind == kind && i.Ref == reference)) throw new InvalidOperationException($"{kind} '{reference}' is already listed");
        S.Items.Add(new InvestigationItem($"i{S.Version + 1}-{S.Items.Count}", kind, reference, [], [], addedBy, clock.GetUtcNow()));
    });

    public Task<InvestigationView> RemoveItemAsync(long version, string itemId) => ChangeAsync(version, () =>
    {
        if (S.Items.RemoveAll(i => i.ItemId == itemId) == 0) throw new KeyNotFoundException($"investigation '{Id}' has no item '{itemId}'");
    });

    public Task<InvestigationView> AddNoteAsync(long version, string itemId, InvestigationNote note) =>
        ChangeItemAsync(version, itemId, item => item with { Notes = [.. item.Notes, note] });

    public Task<InvestigationView> VoteAsync(long version, string itemId, LabelVote vote) => ChangeItemAsync(version, itemId, item =>
    {
        if (item.Kind != "latent") throw new ArgumentException($"item '{itemId}' is a {item.Kind}; votes are on a latent's labels");
        if (vote.Value is not (1 or -1 or 0)) throw new ArgumentException($"a vote is +1, -1 or 0 (withdraw), not {vote.Value}");
        var votes = item.Votes.Where(v => !(v.UserId == vote.UserId && v.Label == vote.Label));
        return item with { Votes = vote.Value == 0 ? [.. votes] : [.. votes, vote] };
    });

    public Task<InvestigationView> PinAsync(long version, PinnedEvidence evidence) => ChangeAsync(version, () => S.Evidence.Add(evidence));

    public Task<InvestigationView> WatchAsync(long version, LatentWatch watch) => ChangeAsync(version, () =>
    {
        S.Watches.RemoveAll(w => w.SaeId == watch.SaeId && w.Latent == watch.Latent && w.UserId == watch.UserId);
        S.Watches.Add(watch);
    });

    public async Task<InvestigationView> CarryNotesAsync(long version, NoteCarry carry)
    {
        if (carry.FromSaeId == carry.ToSaeId) throw new ArgumentException($"notes are carried from one SAE to another, not within '{carry.FromSaeId}'");
        RequireVersion(version);
        int changes = NoteCarrying.Apply(S.Items, carry, $"i{S.Version + 1}-", clock.GetUtcNow());
        return changes == 0 ? View() : await SaveAsync();
    }

    Task<InvestigationView> ChangeItemAsync(long version, string itemId, Func<InvestigationItem, InvestigationItem> change) => ChangeAsync(version, () =>
    {
        int at = S.Items.FindIndex(i => i.ItemId == itemId);
        if (at < 0) throw new KeyNotFoundException($"investigation '{Id}' has no item '{itemId}'");
        S.Items[at] = change(S.Items[at]);
    });

    /// <summary>Applies a change made against <paramref name="version"/>: refused when another change came first.</summary>
    async Task<InvestigationView> ChangeAsync(long version, Action change)
    {
        RequireVersion(version);
        change();
        return await SaveAsync();
    }

    void RequireVersion(long version)
    {
        if (S.Title is null) throw new KeyNotFoundException($"investigation '{Id}' does not exist");
        if (version != S.Version) throw new StaleVersionException($"investigation '{Id}' is at version {S.Version}; the change was made against {version}", S.Version);
    }

    /// <summary>What this activation last gave the index: notes, votes, pins and watches change none of it.</summary>
    InvestigationSummary? indexed;

    async Task<InvestigationView> SaveAsync()
    {
        S.Version++;
        await this.WriteOrDeactivateAsync(state);
        var summary = new InvestigationSummary(Id, S.Title!, [.. S.Members.Select(m => m.UserId)], [.. LatentSaeIds()]);
        if (indexed is not { } last || last.Title != summary.Title || !last.MemberIds.SequenceEqual(summary.MemberIds)
            || !last.LatentSaeIds!.SequenceEqual(summary.LatentSaeIds!))
        {
            await GrainFactory.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key).UpsertAsync(summary);
            indexed = summary;
        }
        return View();
    }

    IEnumerable<string> LatentSaeIds() => S.Items.Where(i => i.Kind == "latent").Select(i => InvestigationItem.ParseLatentRef(i.Ref)?.SaeId)
        .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    InvestigationView View() => new(Id, S.Title!, S.Description, S.Version, [.. S.Members], [.. S.Items], [.. S.Evidence], [.. S.Watches], S.CreatedAt);
}
