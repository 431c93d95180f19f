using Orleans;

namespace Actors.Grains.Investigations;

/// <summary>An investigation; <see cref="Version"/> grows by one with every change and is its ETag.</summary>
[GenerateSerializer, Alias("actors.InvestigationState")]
public sealed class InvestigationState
{
    [Id(0)] public string? Title { get; set; }
    [Id(1)] public string Description { get; set; } = "";
    [Id(2)] public long Version { get; set; }
    [Id(3)] public List<InvestigationMember> Members { get; set; } = [];
    [Id(4)] public List<InvestigationItem> Items { get; set; } = [];
    [Id(5)] public List<PinnedEvidence> Evidence { get; set; } = [];
    [Id(6)] public List<LatentWatch> Watches { get; set; } = [];
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An investigation as read: everything, and its version (the ETag).</summary>
[GenerateSerializer, Immutable, Alias("actors.InvestigationView")]
public sealed record InvestigationView([property: Id(0)] string InvestigationId, [property: Id(1)] string Title, [property: Id(2)] string Description,
    [property: Id(3)] long Version, [property: Id(4)] InvestigationMember[] Members, [property: Id(5)] InvestigationItem[] Items,
    [property: Id(6)] PinnedEvidence[] Evidence, [property: Id(7)] LatentWatch[] Watches, [property: Id(8)] DateTimeOffset CreatedAt)
{
    public InvestigationRole? RoleOf(string? userId) => Members.FirstOrDefault(m => m.UserId == userId)?.Role;
}

/// <summary>
/// The listing entry of an investigation, with the SAEs whose latents it lists (null in a summary stored before
/// that was recorded: unknown).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.InvestigationSummary")]
public sealed record InvestigationSummary([property: Id(0)] string InvestigationId, [property: Id(1)] string Title, [property: Id(2)] string[] MemberIds,
    [property: Id(3)] string[]? LatentSaeIds = null);

[GenerateSerializer, Alias("actors.InvestigationIndexState")]
public sealed class InvestigationIndexState
{
    [Id(0)] public Dictionary<string, InvestigationSummary> Investigations { get; init; } = [];
}
