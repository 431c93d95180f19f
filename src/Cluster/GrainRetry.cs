using Actors.Cluster;
using Orleans.Runtime;

namespace Actors.Cluster;

/// <summary>
/// Calls a grain again when the call failed for a reason that passes: the silo holding the activation died or is
/// shutting down (the next call activates it on a live silo once membership has declared the death), a message
/// was rejected, or a call timed out. Every ingestion call is idempotent per batch id, so calling again is safe;
/// a grain's own error (bad input, a broken invariant) is not retried.
/// </summary>
public static class GrainRetry
{
    /// <summary>Total time spent retrying one call before its last error is thrown (membership needs a few seconds).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + Budget;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try { return await call(); }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    public static Task CallAsync(Func<Task> call, CancellationToken cancellationToken = default) =>
        CallAsync(async () => { await call(); return true; }, cancellationToken);

    public static bool IsTransient(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException
        or TimeoutException or GatewayTooBusyException or ClientNotAvailableException;
}
