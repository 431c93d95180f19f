using Orleans;

namespace Actors.Grains.Identity;

/// <summary>A user of the instance; <see cref="IsAdmin"/> is the instance-admin role (registers artifacts from server paths, manages users).</summary>
[GenerateSerializer, Immutable, Alias("actors.UserRecord")]
public sealed record UserRecord([property: Id(0)] string UserId, [property: Id(1)] string Name, [property: Id(2)] bool IsAdmin,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>
/// An API key as stored: its public id, its owner and the SHA-256 of its secret (the secret itself is shown once, when
/// issued, and kept nowhere). A revoked key stays listed with the time it was revoked.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ApiKeyRecord")]
public sealed record ApiKeyRecord([property: Id(0)] string KeyId, [property: Id(1)] string UserId, [property: Id(2)] byte[] SecretHash,
    [property: Id(3)] DateTimeOffset CreatedAt, [property: Id(4)] DateTimeOffset? RevokedAt);

/// <summary>An API key as listed: no hash.</summary>
[GenerateSerializer, Immutable, Alias("actors.ApiKeyInfo")]
public sealed record ApiKeyInfo([property: Id(0)] string KeyId, [property: Id(1)] string UserId, [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);
