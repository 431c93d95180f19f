using System.Security.Cryptography;
using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Identity;

[GrainType("user-directory")]
public sealed class UserDirectoryGrain([PersistentState("users")] IPersistentState<UserDirectoryState> state, TimeProvider clock)
    : Grain, IUserDirectoryGrain
{
    const int HashBytes = 32;   // SHA-256

    public Task<bool> HasUsersAsync() => Task.FromResult(state.State.Users.Count > 0);

    public async Task<UserRecord> CreateUserAsync(string name, bool isAdmin, string keyId, byte[] secretHash)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a user needs a name");
        if (state.State.Users.Values.Any(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"a user named '{name}' exists");
        CheckNewKey(keyId, secretHash);
        var user = new UserRecord($"u-{Guid.NewGuid().ToString("N")[..12]}", name, isAdmin, clock.GetUtcNow());
        state.State.Users[user.UserId] = user;
        state.State.Keys[keyId] = new ApiKeyRecord(keyId, user.UserId, secretHash, clock.GetUtcNow(), null);
        await this.WriteOrDeactivateAsync(state);
        return user;
    }

    public async Task AddKeyAsync(string userId, string keyId, byte[] secretHash)
    {
        if (!state.State.Users.ContainsKey(userId)) throw new KeyNotFoundException($"no user '{userId}'");
        CheckNewKey(keyId, secretHash);
        state.State.Keys[keyId] = new ApiKeyRecord(keyId, userId, secretHash, clock.GetUtcNow(), null);
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<bool> RevokeKeyAsync(string keyId)
    {
        if (!state.State.Keys.TryGetValue(keyId, out var key)) return false;
        if (key.RevokedAt is null)
        {
            state.State.Keys[keyId] = key with { RevokedAt = clock.GetUtcNow() };
            await this.WriteOrDeactivateAsync(state);
        }
        return true;
    }

    public Task<UserRecord?> AuthenticateAsync(string keyId, byte[] secretHash)
    {
        UserRecord? user = null;
        // The comparison runs on equal-length buffers whatever is presented, so its time says nothing about the hash.
        var stored = state.State.Keys.TryGetValue(keyId, out var key) ? key.SecretHash : new byte[HashBytes];
        var presented = secretHash.Length == HashBytes ? secretHash : new byte[HashBytes];
        bool equal = CryptographicOperations.FixedTimeEquals(stored, presented);
        if (equal && key is { RevokedAt: null } && secretHash.Length == HashBytes) state.State.Users.TryGetValue(key.UserId, out user);
        return Task.FromResult(user);
    }

    public Task<UserRecord?> GetUserAsync(string userId) => Task.FromResult(state.State.Users.GetValueOrDefault(userId));

    public Task<UserRecord?> FindByNameAsync(string name) => Task.FromResult(
        state.State.Users.Values.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)));

    public Task<UserRecord[]> ListUsersAsync() => Task.FromResult(state.State.Users.Values.OrderBy(u => u.CreatedAt).ToArray());

    public Task<ApiKeyInfo[]> ListKeysAsync(string userId) => Task.FromResult(state.State.Keys.Values
        .Where(k => k.UserId == userId).OrderBy(k => k.CreatedAt).Select(Info).ToArray());

    public Task<ApiKeyInfo?> GetKeyAsync(string keyId) =>
        Task.FromResult(state.State.Keys.TryGetValue(keyId, out var k) ? Info(k) : null);

    static ApiKeyInfo Info(ApiKeyRecord k) => new(k.KeyId, k.UserId, k.CreatedAt, k.RevokedAt);

    void CheckNewKey(string keyId, byte[] secretHash)
    {
        if (string.IsNullOrWhiteSpace(keyId) || state.State.Keys.ContainsKey(keyId)) throw new ArgumentException($"key id '{keyId}' is empty or taken");
        if (secretHash.Length != HashBytes) throw new ArgumentException($"a key's hash has {HashBytes} bytes, not {secretHash.Length}");
    }
}
