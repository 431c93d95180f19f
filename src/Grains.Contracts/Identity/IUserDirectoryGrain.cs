using Orleans;
using Orleans.Concurrency;

namespace Actors.Grains.Identity;

/// <summary>
/// Users and their API keys (one grain, key <see cref="Key"/>). Callers present a key's id and the SHA-256 of its
/// secret; the grain compares hashes in constant time. Revocation is a stored write, so the next request with the key
/// is refused (nothing caches a key's validity).
/// </summary>
[Alias("actors.IUserDirectoryGrain")]
public interface IUserDirectoryGrain : IGrainWithStringKey
{
    const string Key = "users";
    Task<bool> HasUsersAsync();
    /// <summary>A new user with a first key; fails when the name is taken.</summary>
    Task<UserRecord> CreateUserAsync(string name, bool isAdmin, string keyId, byte[] secretHash);
    Task AddKeyAsync(string userId, string keyId, byte[] secretHash);
    /// <summary>Revokes a key; false when it does not exist.</summary>
    Task<bool> RevokeKeyAsync(string keyId);
    /// <summary>The key's owner when the key exists, is not revoked and its secret hashes to <paramref name="secretHash"/>.</summary>
    [ReadOnly] Task<UserRecord?> AuthenticateAsync(string keyId, byte[] secretHash);
    [ReadOnly] Task<UserRecord?> GetUserAsync(string userId);
    [ReadOnly] Task<UserRecord?> FindByNameAsync(string name);
    [ReadOnly] Task<UserRecord[]> ListUsersAsync();
    [ReadOnly] Task<ApiKeyInfo[]> ListKeysAsync(string userId);
    [ReadOnly] Task<ApiKeyInfo?> GetKeyAsync(string keyId);
}
