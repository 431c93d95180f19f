using Orleans;

namespace Actors.Grains.Identity;

/// <summary>
/// The append-only audit log of one UTC hour (key "yyyy-MM-ddTHH"): entries are added, never changed or removed. An
/// hour, not a day, per grain: every append stores the grain's whole list, so a day's list would make each write cost
/// more the busier the day has been.
/// </summary>
[Alias("actors.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    Task AppendAsync(AuditEntry entry);
    Task<AuditEntry[]> ListAsync();

    static string KeyOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH");

    /// <summary>The keys of a UTC day's 24 hours, in order.</summary>
    static IEnumerable<string> KeysOfDay(DateOnly day) => Enumerable.Range(0, 24).Select(h => $"{day:yyyy-MM-dd}T{h:D2}");

    /// <summary>A UTC day's entries in order, read from its hours.</summary>
    static async Task<AuditEntry[]> ReadDayAsync(IGrainFactory grains, DateOnly day)
    {
        var hours = await Task.WhenAll(KeysOfDay(day).Select(k => grains.GetGrain<IAuditLogGrain>(k).ListAsync()));
        return [.. hours.SelectMany(h => h)];
    }
}

[GenerateSerializer, Alias("actors.AuditLogState")]
public sealed class AuditLogState
{
    [Id(0)] public List<AuditEntry> Entries { get; init; } = [];
}
