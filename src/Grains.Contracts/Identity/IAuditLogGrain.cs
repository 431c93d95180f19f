using Orleans;

namespace Actors.Grains.Identity;

/// <summary>
/// The append-only audit log of one UTC day (key "yyyy-MM-dd"): entries are added, never changed or removed.
/// </summary>
[Alias("actors.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    Task AppendAsync(AuditEntry entry);
    Task<AuditEntry[]> ListAsync();

    static string KeyOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd");
}

[GenerateSerializer, Alias("actors.AuditLogState")]
public sealed class AuditLogState
{
    [Id(0)] public List<AuditEntry> Entries { get; init; } = [];
}
