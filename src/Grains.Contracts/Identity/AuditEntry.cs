using Orleans;

namespace Actors.Grains.Identity;

/// <summary>
/// One write as the audit log keeps it: who (user id and name), what (method, path, status), when, and the resource's
/// ETag before (the request's If-Match) and after (the response's ETag), when the route has them.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.AuditEntry")]
public sealed record AuditEntry([property: Id(0)] DateTimeOffset At, [property: Id(1)] string? UserId, [property: Id(2)] string UserName,
    [property: Id(3)] string Method, [property: Id(4)] string Path, [property: Id(5)] int Status,
    [property: Id(6)] string? ETagBefore, [property: Id(7)] string? ETagAfter);
