using Actors.Grains.Identity;
using Orleans;

namespace Actors.Api.Identity;

/// <summary>Why a presented API key was not accepted.</summary>
public enum KeyRefusal { None, Throttled, NotAKey, Unknown }

/// <summary>
/// The outcome of one key check: the user and key id when accepted; otherwise why not, and whether this refusal put
/// the caller's address over its limit of failures.
/// </summary>
public readonly record struct KeyCheckResult(UserRecord? User, string? KeyId, KeyRefusal Refusal, bool NowThrottled = false);

/// <summary>
/// The one check of a presented API key, for the x-api-key header and the sign-in form alike: an address that failed
/// too often is refused before anything is looked up; the key is parsed (and, while the first admin is still being
/// created at start-up, the check waits for that), its secret hashed and looked up in the user
/// directory (every check asks it, so a revoked key is refused at once); a refusal counts against the address
/// (<see cref="FailedAuthLimiter"/>).
/// </summary>
public sealed class ApiKeyCheck(IGrainFactory grains, FailedAuthLimiter limiter, AdminBootstrap bootstrap)
{
    static readonly TimeSpan BootstrapWait = TimeSpan.FromSeconds(30);

    public async Task<KeyCheckResult> CheckAsync(string? presented, string address)
    {
        if (limiter.IsBlocked(address)) return new(null, null, KeyRefusal.Throttled);
        var parsed = ApiKeys.Parse(presented);
        if (parsed is not null && !bootstrap.Completed.IsCompleted)
        {
            // The first admin may still be being created: a lookup now would call its key unknown (and count a failure).
            try { await bootstrap.Completed.WaitAsync(BootstrapWait); }
            catch (TimeoutException) { }   // the directory will answer for itself (or fail) below
        }
        var user = parsed is { } key
            ? await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).AuthenticateAsync(key.KeyId, ApiKeys.Hash(key.Secret))
            : null;
        if (user is not null) return new(user, parsed!.Value.KeyId, KeyRefusal.None);
        bool stillAllowed = limiter.RecordFailure(address);
        return new(null, null, parsed is null ? KeyRefusal.NotAKey : KeyRefusal.Unknown, NowThrottled: !stillAllowed);
    }
}
