using System.Threading.RateLimiting;

namespace Actors.Api.Identity;

/// <summary>
/// Failed authentications per client address, in fixed one-minute windows (ASP.NET Core's rate limiter). Once an
/// address has used its failures, every authentication from it is refused until the window ends — a correct key
/// included, so guessing learns nothing from the refusals.
/// </summary>
public sealed class FailedAuthLimiter(AuthOptions options) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.FailedAttemptsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    public bool IsBlocked(string address) => limiter.GetStatistics(address)?.CurrentAvailablePermits == 0;

    /// <summary>Counts a failure; false once the address is over its limit.</summary>
    public bool RecordFailure(string address)
    {
        using var lease = limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
